/** Types for topology.mjs (used by test/bench/smoke.test.ts). */
export interface ChildHandle {
  readonly url: string;
  readonly pid: number;
  /** The last few KB the process wrote to stderr. */
  stderr(): string;
  close(): Promise<void>;
}

export interface GatewayHandle extends ChildHandle {
  /** `<url>/mcp`. */
  readonly mcp: string;
}

export interface Topology {
  readonly sdk: ChildHandle;
  readonly fast: ChildHandle;
  readonly gateway: GatewayHandle;
  readonly listGateway: GatewayHandle;
  /** Absent when mcp-hub could not start; `hubError` says why. */
  readonly hub?: { readonly url: string; readonly mcp: string; readonly pid: number; close(): Promise<void> };
  readonly hubError?: string;
  /** A fresh `mcpgw serve` of the large bundle (cold start); the caller closes it. */
  spawnListGateway(): Promise<GatewayHandle>;
  /** Tools the large bundle exposes on /mcp (servers × tools). */
  readonly listTools: number;
  readonly engines: { readonly gateway: 'native' | 'fallback'; readonly fast: 'native' | 'fallback' };
  close(): Promise<void>;
}

export declare function startTopology(options?: { listServers?: number; listTools?: number; hub?: boolean; profileDir?: string }): Promise<Topology>;
