import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids (UUIDv7) for every row we create: index-friendly and sortable. */
export const newId = (): string => uuidv7();
