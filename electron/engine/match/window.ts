/** A run's period and its closing window. */
export interface Window {
  period: string;
  start: string;
  end: string;
  /** One-sided records at or after this time are 在途. */
  windowStart: string;
}
