export interface RouteOptions {
  /** LocalAI lets a Bearer token name the model, but not when tokens are API keys. */
  tokenMayNameModel: boolean;
  /** Larger request bodies get 413. */
  maxBodyBytes: number;
  /** /readyz answers 200 only when this says so. */
  isReady(): boolean;
}
