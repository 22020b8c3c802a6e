/**
 * Token bucket: `ratePerSec` tokens refill continuously up to `burst`; each message costs one.
 * A bucket per connection keeps one abusive client from starving the event loop while the
 * burst absorbs y-webrtc's reconnect storm (subscribe + one announce per room + ICE trickle).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param ratePerSec sustained messages per second
   * @param burst bucket size (the most messages accepted at once)
   * @param now clock in milliseconds, injectable for tests
   */
  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty (the caller decides what to do). */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
