/** Port: sends one SMS through the carrier. Adapters: Twilio (real or simulated carrier). */
export type SmsSender = {
  send: (m: { to: string; from: string; body: string; statusCallback?: string }) => Promise<{ providerId: string; status: string }>;
};
