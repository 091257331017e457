import { parseRetentionOffers, type RetentionOffers } from './offer-rules-config.js';

const LADDER = [
  { name: 'basic', factorBp: 8000 },
  { name: 'standard', factorBp: 10000 },
  { name: 'plus', factorBp: 11500 },
  { name: 'gold', factorBp: 13000 },
];

/**
 * The offers used without RETENTION_OFFERS_FILE: the demo insurer's products and
 * rules (docs/retention-offers.md explains each field). An insurer replaces them
 * with its own file; these are parsed by the same checks at load.
 */
export const DEFAULT_RETENTION_OFFERS: RetentionOffers = parseRetentionOffers({
  maxOffers: 2,
  products: {
    auto: {
      tiers: LADDER,
      skipInstalment: true,
      cover: {
        'en-US': 'Your auto policy pays for damage you cause to other people and their property, and for your own car after an accident, theft or storm. Driving without it can cost you your license.',
        'es-US': 'Su póliza de auto paga los daños que usted cause a otras personas y a su propiedad, y su propio auto tras un accidente, un robo o una tormenta. Manejar sin ella puede costarle su licencia.',
      },
    },
    homeowners: {
      tiers: LADDER,
      skipInstalment: true,
      cover: {
        'en-US': 'Your homeowners policy rebuilds your home and replaces your belongings after a fire, storm or break-in, and covers you if someone is hurt on your property. Your lender may require it.',
        'es-US': 'Su póliza de hogar reconstruye su casa y repone sus pertenencias tras un incendio, una tormenta o un robo, y lo protege si alguien se lastima en su propiedad. Su prestamista puede exigirla.',
      },
    },
    renters: {
      tiers: LADDER,
      cover: {
        'en-US': 'Your renters policy replaces your belongings after a fire or theft, pays for a place to stay if your home cannot be lived in, and covers you if a guest is hurt.',
        'es-US': 'Su póliza de inquilino repone sus pertenencias tras un incendio o un robo, paga un lugar donde quedarse si no puede vivir en su casa, y lo protege si un invitado se lastima.',
      },
    },
    'term-life': {
      tiers: LADDER,
      sumInsured: { reducePercent: 75, minimumCents: 5_000_000 },
      cover: {
        'en-US': 'Your life policy pays your family a lump sum if you die during the term, to replace your income and pay the mortgage. A new policy later would cost more, because premiums rise with age.',
        'es-US': 'Su póliza de vida paga a su familia una suma si usted fallece durante el plazo, para reemplazar sus ingresos y pagar la hipoteca. Una póliza nueva más adelante costaría más, porque las primas suben con la edad.',
      },
    },
    'whole-life': {
      tiers: LADDER,
      sumInsured: { reducePercent: 75, minimumCents: 10_000_000 },
      cover: {
        'en-US': 'Your whole life policy covers you for life and builds a cash value you keep. Cancelling it gives up the cover, and a new policy later would cost more.',
        'es-US': 'Su póliza de vida entera lo cubre de por vida y acumula un valor en efectivo que es suyo. Cancelarla renuncia a la cobertura, y una póliza nueva más adelante costaría más.',
      },
    },
  },
  rules: [
    { name: 'price-after-missed-payment', when: { reasons: ['too-expensive'], paymentHistory: ['failures'] }, offers: ['move-date', 'skip-instalment', 'downgrade-tier'] },
    { name: 'price', when: { reasons: ['too-expensive', 'found-cheaper'] }, offers: ['downgrade-tier', 'downgrade-sum', 'move-date'] },
    { name: 'life-not-needed', when: { reasons: ['no-longer-needed'], products: ['term-life', 'whole-life'] }, offers: ['explain-cover', 'downgrade-sum'] },
    { name: 'not-needed', when: { reasons: ['no-longer-needed'] }, offers: ['explain-cover', 'downgrade-tier'] },
    { name: 'family', when: { reasons: ['family-objects'] }, offers: ['explain-cover', 'downgrade-tier'] },
    { name: 'other', when: { reasons: ['other'] }, offers: ['explain-cover'] },
  ],
}, 'the default retention offers');
