/**
 * Token bucket: `ratePerSec` tokens refill continuously up to `burst`. Used two ways:
 * - messages: each costs one token and an empty bucket refuses ({@link take}); a bucket per
 *   connection keeps one abusive client from starving the event loop while the burst absorbs
 *   y-webrtc's reconnect storm (subscribe + one announce per room + ICE trickle);
 * - bytes, rooms: the cost is taken even when it overdraws the bucket ({@link debit}), and the
 *   caller waits (stops reading the socket) until the debt is paid back, so an honest large
 *   upload is slowed, never refused.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param ratePerSec sustained tokens per second
   * @param burst bucket size (the most taken at once without waiting)
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

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }

  /** Takes `cost` tokens (default one); false, taking nothing, when fewer are left. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Takes `cost` tokens even if that overdraws the bucket; returns ms until it is no longer in debt (0: not in debt). */
  debit(cost: number): number {
    this.refill();
    this.tokens -= cost;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSec) * 1000);
  }

  /** Whether the bucket is full (nothing to remember about its owner). */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }
}
