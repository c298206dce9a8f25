/** The columns of the customer list (F9) a user may choose to show, in their default order. */
export const LIST_COLUMNS = [
  'name',
  'primaryDomain',
  'status',
  'country',
  'tags',
  'services',
  'products',
  'openTickets',
  'health',
  'registeredAccount',
  'managementMode',
  'createdAt',
] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];

export const isListColumn = (value: string): value is ListColumn => (LIST_COLUMNS as readonly string[]).includes(value);
