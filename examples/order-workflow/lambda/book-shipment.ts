/** The carrier does not deliver to the address's country. */
export class AddressNotServed extends Error {
  name = 'AddressNotServed';
}

export interface ShipEvent {
  readonly orderId: string;
  readonly address: { readonly country: string };
  readonly skus: readonly string[];
}

const SERVED = new Set(['DE', 'FR', 'GB', 'US']);

/** Books a carrier pickup for the reserved items. */
export const handler = async (event: ShipEvent): Promise<{ trackingNumber: string }> => {
  if (!SERVED.has(event.address.country)) throw new AddressNotServed(`no carrier delivers to ${event.address.country}`);
  return { trackingNumber: `1Z-${event.orderId}` };
};
