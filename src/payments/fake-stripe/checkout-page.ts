const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The fake's hosted checkout page: the amount and one button that pays with the Visa test card. */
export const renderCheckoutPage = (s: Record<string, unknown>): string => {
  const amount = `${(Number(s.amount_total) / 100).toFixed(2)} ${String(s.currency).toUpperCase()}`;
  const id = escapeHtml(String(s.id));
  const body = s.status === 'open'
    ? `<p>Amount due: <strong>${escapeHtml(amount)}</strong></p>
<form method="post" action="/checkout/${id}/pay"><button type="submit">Pay with test card 4242</button></form>`
    : `<p>This payment page is ${escapeHtml(String(s.status))}.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test checkout</title></head>
<body><h1>Test checkout (simulated Stripe)</h1>${body}</body></html>`;
};
