import {
  type CallOptions,
  Channel,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientUnaryCall,
  credentials,
  InterceptingCall,
  type Interceptor,
  Metadata,
  type ServiceError,
} from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import { AdminServiceClient } from "./gen/paycore/v1/admin";
import { NotifyServiceClient } from "./gen/paycore/v1/notify";
import { PaymentServiceClient } from "./gen/paycore/v1/payment";
import { ReconciliationServiceClient } from "./gen/paycore/v1/reconciliation";
import { RefundServiceClient } from "./gen/paycore/v1/refund";

export interface ConnectOptions {
  /**
   * Transport security; plaintext when omitted. Use `tlsCredentials({ caFile, certFile, keyFile })`
   * for TLS and mutual TLS, or `credentials.createSsl()` for Node's default roots.
   */
  credentials?: ChannelCredentials;
  /** grpc-js channel options (keepalive, message sizes, ...). */
  channelOptions?: ChannelOptions;
}

/** PEM files for `tlsCredentials`. */
export interface TlsFiles {
  /** The CA certificates that may sign the server's certificate; Node's default roots when omitted. */
  caFile?: string;
  /** Mutual TLS: the client certificate (with its chain, leaf first); needs `keyFile`. */
  certFile?: string;
  /** Mutual TLS: the client certificate's private key; needs `certFile`. */
  keyFile?: string;
}

/**
 * TLS channel credentials for `connect(target, apiKey, { credentials })`, read from PEM files.
 * The server's certificate must name the host of the target. For PEM already in memory, call
 * `credentials.createSsl(ca, key, cert)` directly.
 */
export function tlsCredentials(files: TlsFiles = {}): ChannelCredentials {
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    throw new Error("tlsCredentials: give both certFile and keyFile, or neither");
  }
  const read = (path: string | undefined) => (path === undefined ? null : readFileSync(path));
  return credentials.createSsl(read(files.caFile), read(files.keyFile), read(files.certFile));
}

/** The paycore services over one shared channel. */
export interface Paycore {
  payments: PaymentServiceClient;
  refunds: RefundServiceClient;
  notify: NotifyServiceClient;
  admin: AdminServiceClient;
  /** Operator-only, like `admin`: give the operator key in the call's metadata. */
  reconciliation: ReconciliationServiceClient;
  /** Closes the shared channel; calls started afterwards fail. */
  close(): void;
}

/**
 * Opens a channel to paycore at `target` ("host:port") and returns its service clients, each
 * sending `authorization: Bearer <apiKey>` on every call.
 */
export function connect(target: string, apiKey: string, options: ConnectOptions = {}): Paycore {
  const channel = new Channel(
    target,
    options.credentials ?? credentials.createInsecure(),
    options.channelOptions ?? {},
  );
  // An interceptor rather than call credentials: grpc-js will not compose call credentials with
  // plaintext channel credentials. A call that brings its own authorization (e.g. the operator
  // key AdminService needs) keeps it.
  const authorize: Interceptor = (callOptions, nextCall) =>
    new InterceptingCall(nextCall(callOptions), {
      start(metadata, listener, next) {
        if (metadata.get("authorization").length === 0) {
          metadata.set("authorization", `Bearer ${apiKey}`);
        }
        next(metadata, listener);
      },
    });
  const clientOptions = { channelOverride: channel, interceptors: [authorize] };
  // The constructors' credentials are ignored when a channel is given.
  const unused = credentials.createInsecure();
  return {
    payments: new PaymentServiceClient(target, unused, clientOptions),
    refunds: new RefundServiceClient(target, unused, clientOptions),
    notify: new NotifyServiceClient(target, unused, clientOptions),
    admin: new AdminServiceClient(target, unused, clientOptions),
    reconciliation: new ReconciliationServiceClient(target, unused, clientOptions),
    close: () => channel.close(),
  };
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** The names of a generated client's unary methods, e.g. "createPayment". */
export type UnaryMethodName<C> = {
  // Matched on the last overload's parameters: streaming methods take no callback.
  [K in keyof C]: C[K] extends (...args: infer A) => ClientUnaryCall
    ? A extends Parameters<UnaryMethod<any, any>>
      ? K
      : never
    : never;
}[keyof C];

type RequestOf<M> = M extends UnaryMethod<infer Req, any> ? Req : never;
type ResponseOf<M> = M extends UnaryMethod<any, infer Res> ? Res : never;

/**
 * Calls a unary method of a generated (callback-style) client and returns a promise:
 * `await unary(paycore.payments, "getPayment", GetPaymentRequest.fromPartial({ id }))`.
 * It rejects with the grpc-js ServiceError, which `errorDetails` and `reason` read.
 */
export function unary<
  C,
  // `& string` keeps K the literal method name instead of widening it to the whole union.
  K extends UnaryMethodName<C> & string,
>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  options: Partial<CallOptions> = {},
  metadata: Metadata = new Metadata(),
): Promise<ResponseOf<C[K]>> {
  const fn = client[method] as UnaryMethod<RequestOf<C[K]>, ResponseOf<C[K]>>;
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, options, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}
