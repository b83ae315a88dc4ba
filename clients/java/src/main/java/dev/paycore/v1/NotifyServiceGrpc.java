package dev.paycore.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Notifications between paycore and the outside.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class NotifyServiceGrpc {

  private NotifyServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "paycore.v1.NotifyService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.HandleProviderNotificationRequest,
      dev.paycore.v1.HandleProviderNotificationResponse> getHandleProviderNotificationMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "HandleProviderNotification",
      requestType = dev.paycore.v1.HandleProviderNotificationRequest.class,
      responseType = dev.paycore.v1.HandleProviderNotificationResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.HandleProviderNotificationRequest,
      dev.paycore.v1.HandleProviderNotificationResponse> getHandleProviderNotificationMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.HandleProviderNotificationRequest, dev.paycore.v1.HandleProviderNotificationResponse> getHandleProviderNotificationMethod;
    if ((getHandleProviderNotificationMethod = NotifyServiceGrpc.getHandleProviderNotificationMethod) == null) {
      synchronized (NotifyServiceGrpc.class) {
        if ((getHandleProviderNotificationMethod = NotifyServiceGrpc.getHandleProviderNotificationMethod) == null) {
          NotifyServiceGrpc.getHandleProviderNotificationMethod = getHandleProviderNotificationMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.HandleProviderNotificationRequest, dev.paycore.v1.HandleProviderNotificationResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "HandleProviderNotification"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.HandleProviderNotificationRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.HandleProviderNotificationResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NotifyServiceMethodDescriptorSupplier("HandleProviderNotification"))
              .build();
        }
      }
    }
    return getHandleProviderNotificationMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.WatchEventsRequest,
      dev.paycore.v1.WatchEventsResponse> getWatchEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "WatchEvents",
      requestType = dev.paycore.v1.WatchEventsRequest.class,
      responseType = dev.paycore.v1.WatchEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.WatchEventsRequest,
      dev.paycore.v1.WatchEventsResponse> getWatchEventsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.WatchEventsRequest, dev.paycore.v1.WatchEventsResponse> getWatchEventsMethod;
    if ((getWatchEventsMethod = NotifyServiceGrpc.getWatchEventsMethod) == null) {
      synchronized (NotifyServiceGrpc.class) {
        if ((getWatchEventsMethod = NotifyServiceGrpc.getWatchEventsMethod) == null) {
          NotifyServiceGrpc.getWatchEventsMethod = getWatchEventsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.WatchEventsRequest, dev.paycore.v1.WatchEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "WatchEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.WatchEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.WatchEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NotifyServiceMethodDescriptorSupplier("WatchEvents"))
              .build();
        }
      }
    }
    return getWatchEventsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListDeliveriesRequest,
      dev.paycore.v1.ListDeliveriesResponse> getListDeliveriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDeliveries",
      requestType = dev.paycore.v1.ListDeliveriesRequest.class,
      responseType = dev.paycore.v1.ListDeliveriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListDeliveriesRequest,
      dev.paycore.v1.ListDeliveriesResponse> getListDeliveriesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListDeliveriesRequest, dev.paycore.v1.ListDeliveriesResponse> getListDeliveriesMethod;
    if ((getListDeliveriesMethod = NotifyServiceGrpc.getListDeliveriesMethod) == null) {
      synchronized (NotifyServiceGrpc.class) {
        if ((getListDeliveriesMethod = NotifyServiceGrpc.getListDeliveriesMethod) == null) {
          NotifyServiceGrpc.getListDeliveriesMethod = getListDeliveriesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListDeliveriesRequest, dev.paycore.v1.ListDeliveriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDeliveries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListDeliveriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListDeliveriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NotifyServiceMethodDescriptorSupplier("ListDeliveries"))
              .build();
        }
      }
    }
    return getListDeliveriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.RedeliverEventRequest,
      dev.paycore.v1.RedeliverEventResponse> getRedeliverEventMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RedeliverEvent",
      requestType = dev.paycore.v1.RedeliverEventRequest.class,
      responseType = dev.paycore.v1.RedeliverEventResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.RedeliverEventRequest,
      dev.paycore.v1.RedeliverEventResponse> getRedeliverEventMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.RedeliverEventRequest, dev.paycore.v1.RedeliverEventResponse> getRedeliverEventMethod;
    if ((getRedeliverEventMethod = NotifyServiceGrpc.getRedeliverEventMethod) == null) {
      synchronized (NotifyServiceGrpc.class) {
        if ((getRedeliverEventMethod = NotifyServiceGrpc.getRedeliverEventMethod) == null) {
          NotifyServiceGrpc.getRedeliverEventMethod = getRedeliverEventMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.RedeliverEventRequest, dev.paycore.v1.RedeliverEventResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RedeliverEvent"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RedeliverEventRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RedeliverEventResponse.getDefaultInstance()))
              .setSchemaDescriptor(new NotifyServiceMethodDescriptorSupplier("RedeliverEvent"))
              .build();
        }
      }
    }
    return getRedeliverEventMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static NotifyServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NotifyServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NotifyServiceStub>() {
        @java.lang.Override
        public NotifyServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NotifyServiceStub(channel, callOptions);
        }
      };
    return NotifyServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static NotifyServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NotifyServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NotifyServiceBlockingV2Stub>() {
        @java.lang.Override
        public NotifyServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NotifyServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return NotifyServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static NotifyServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NotifyServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NotifyServiceBlockingStub>() {
        @java.lang.Override
        public NotifyServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NotifyServiceBlockingStub(channel, callOptions);
        }
      };
    return NotifyServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static NotifyServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<NotifyServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<NotifyServiceFutureStub>() {
        @java.lang.Override
        public NotifyServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new NotifyServiceFutureStub(channel, callOptions);
        }
      };
    return NotifyServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Notifications between paycore and the outside.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Handles a provider's asynchronous notification that an edge received and forwards: the
     * same verification, checks and effect as `POST /callbacks/{channel_id}` on the HTTP port.
     * The answer is what the edge must send back to the provider, including refusals, so
     * the RPC itself succeeds whenever the notification was handled or refused. Needs the
     * operator key.
     * </pre>
     */
    default void handleProviderNotification(dev.paycore.v1.HandleProviderNotificationRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.HandleProviderNotificationResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getHandleProviderNotificationMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams the calling merchant's events in order, from a cursor or from now. Reconnecting
     * with the last event's cursor continues without gaps or repeats. A consumer that reads
     * slowly is served from the database at its own pace.
     * </pre>
     */
    default void watchEvents(dev.paycore.v1.WatchEventsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.WatchEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchEventsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the calling merchant's webhook deliveries, newest first.
     * </pre>
     */
    default void listDeliveries(dev.paycore.v1.ListDeliveriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListDeliveriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDeliveriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Sends an event to the merchant's webhook again (and re-enables an endpoint disabled by
     * a 410).
     * </pre>
     */
    default void redeliverEvent(dev.paycore.v1.RedeliverEventRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RedeliverEventResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRedeliverEventMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service NotifyService.
   * <pre>
   * Notifications between paycore and the outside.
   * </pre>
   */
  public static abstract class NotifyServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return NotifyServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service NotifyService.
   * <pre>
   * Notifications between paycore and the outside.
   * </pre>
   */
  public static final class NotifyServiceStub
      extends io.grpc.stub.AbstractAsyncStub<NotifyServiceStub> {
    private NotifyServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NotifyServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NotifyServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Handles a provider's asynchronous notification that an edge received and forwards: the
     * same verification, checks and effect as `POST /callbacks/{channel_id}` on the HTTP port.
     * The answer is what the edge must send back to the provider, including refusals, so
     * the RPC itself succeeds whenever the notification was handled or refused. Needs the
     * operator key.
     * </pre>
     */
    public void handleProviderNotification(dev.paycore.v1.HandleProviderNotificationRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.HandleProviderNotificationResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getHandleProviderNotificationMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams the calling merchant's events in order, from a cursor or from now. Reconnecting
     * with the last event's cursor continues without gaps or repeats. A consumer that reads
     * slowly is served from the database at its own pace.
     * </pre>
     */
    public void watchEvents(dev.paycore.v1.WatchEventsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.WatchEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchEventsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the calling merchant's webhook deliveries, newest first.
     * </pre>
     */
    public void listDeliveries(dev.paycore.v1.ListDeliveriesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListDeliveriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDeliveriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Sends an event to the merchant's webhook again (and re-enables an endpoint disabled by
     * a 410).
     * </pre>
     */
    public void redeliverEvent(dev.paycore.v1.RedeliverEventRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RedeliverEventResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRedeliverEventMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service NotifyService.
   * <pre>
   * Notifications between paycore and the outside.
   * </pre>
   */
  public static final class NotifyServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<NotifyServiceBlockingV2Stub> {
    private NotifyServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NotifyServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NotifyServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Handles a provider's asynchronous notification that an edge received and forwards: the
     * same verification, checks and effect as `POST /callbacks/{channel_id}` on the HTTP port.
     * The answer is what the edge must send back to the provider, including refusals, so
     * the RPC itself succeeds whenever the notification was handled or refused. Needs the
     * operator key.
     * </pre>
     */
    public dev.paycore.v1.HandleProviderNotificationResponse handleProviderNotification(dev.paycore.v1.HandleProviderNotificationRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getHandleProviderNotificationMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams the calling merchant's events in order, from a cursor or from now. Reconnecting
     * with the last event's cursor continues without gaps or repeats. A consumer that reads
     * slowly is served from the database at its own pace.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.paycore.v1.WatchEventsResponse>
        watchEvents(dev.paycore.v1.WatchEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getWatchEventsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the calling merchant's webhook deliveries, newest first.
     * </pre>
     */
    public dev.paycore.v1.ListDeliveriesResponse listDeliveries(dev.paycore.v1.ListDeliveriesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sends an event to the merchant's webhook again (and re-enables an endpoint disabled by
     * a 410).
     * </pre>
     */
    public dev.paycore.v1.RedeliverEventResponse redeliverEvent(dev.paycore.v1.RedeliverEventRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRedeliverEventMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service NotifyService.
   * <pre>
   * Notifications between paycore and the outside.
   * </pre>
   */
  public static final class NotifyServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<NotifyServiceBlockingStub> {
    private NotifyServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NotifyServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NotifyServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Handles a provider's asynchronous notification that an edge received and forwards: the
     * same verification, checks and effect as `POST /callbacks/{channel_id}` on the HTTP port.
     * The answer is what the edge must send back to the provider, including refusals, so
     * the RPC itself succeeds whenever the notification was handled or refused. Needs the
     * operator key.
     * </pre>
     */
    public dev.paycore.v1.HandleProviderNotificationResponse handleProviderNotification(dev.paycore.v1.HandleProviderNotificationRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getHandleProviderNotificationMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams the calling merchant's events in order, from a cursor or from now. Reconnecting
     * with the last event's cursor continues without gaps or repeats. A consumer that reads
     * slowly is served from the database at its own pace.
     * </pre>
     */
    public java.util.Iterator<dev.paycore.v1.WatchEventsResponse> watchEvents(
        dev.paycore.v1.WatchEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchEventsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the calling merchant's webhook deliveries, newest first.
     * </pre>
     */
    public dev.paycore.v1.ListDeliveriesResponse listDeliveries(dev.paycore.v1.ListDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sends an event to the merchant's webhook again (and re-enables an endpoint disabled by
     * a 410).
     * </pre>
     */
    public dev.paycore.v1.RedeliverEventResponse redeliverEvent(dev.paycore.v1.RedeliverEventRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRedeliverEventMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service NotifyService.
   * <pre>
   * Notifications between paycore and the outside.
   * </pre>
   */
  public static final class NotifyServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<NotifyServiceFutureStub> {
    private NotifyServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected NotifyServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new NotifyServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Handles a provider's asynchronous notification that an edge received and forwards: the
     * same verification, checks and effect as `POST /callbacks/{channel_id}` on the HTTP port.
     * The answer is what the edge must send back to the provider, including refusals, so
     * the RPC itself succeeds whenever the notification was handled or refused. Needs the
     * operator key.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.HandleProviderNotificationResponse> handleProviderNotification(
        dev.paycore.v1.HandleProviderNotificationRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getHandleProviderNotificationMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the calling merchant's webhook deliveries, newest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListDeliveriesResponse> listDeliveries(
        dev.paycore.v1.ListDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDeliveriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Sends an event to the merchant's webhook again (and re-enables an endpoint disabled by
     * a 410).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.RedeliverEventResponse> redeliverEvent(
        dev.paycore.v1.RedeliverEventRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRedeliverEventMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_HANDLE_PROVIDER_NOTIFICATION = 0;
  private static final int METHODID_WATCH_EVENTS = 1;
  private static final int METHODID_LIST_DELIVERIES = 2;
  private static final int METHODID_REDELIVER_EVENT = 3;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_HANDLE_PROVIDER_NOTIFICATION:
          serviceImpl.handleProviderNotification((dev.paycore.v1.HandleProviderNotificationRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.HandleProviderNotificationResponse>) responseObserver);
          break;
        case METHODID_WATCH_EVENTS:
          serviceImpl.watchEvents((dev.paycore.v1.WatchEventsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.WatchEventsResponse>) responseObserver);
          break;
        case METHODID_LIST_DELIVERIES:
          serviceImpl.listDeliveries((dev.paycore.v1.ListDeliveriesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListDeliveriesResponse>) responseObserver);
          break;
        case METHODID_REDELIVER_EVENT:
          serviceImpl.redeliverEvent((dev.paycore.v1.RedeliverEventRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.RedeliverEventResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getHandleProviderNotificationMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.HandleProviderNotificationRequest,
              dev.paycore.v1.HandleProviderNotificationResponse>(
                service, METHODID_HANDLE_PROVIDER_NOTIFICATION)))
        .addMethod(
          getWatchEventsMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.paycore.v1.WatchEventsRequest,
              dev.paycore.v1.WatchEventsResponse>(
                service, METHODID_WATCH_EVENTS)))
        .addMethod(
          getListDeliveriesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListDeliveriesRequest,
              dev.paycore.v1.ListDeliveriesResponse>(
                service, METHODID_LIST_DELIVERIES)))
        .addMethod(
          getRedeliverEventMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.RedeliverEventRequest,
              dev.paycore.v1.RedeliverEventResponse>(
                service, METHODID_REDELIVER_EVENT)))
        .build();
  }

  private static abstract class NotifyServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    NotifyServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.paycore.v1.NotifyProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("NotifyService");
    }
  }

  private static final class NotifyServiceFileDescriptorSupplier
      extends NotifyServiceBaseDescriptorSupplier {
    NotifyServiceFileDescriptorSupplier() {}
  }

  private static final class NotifyServiceMethodDescriptorSupplier
      extends NotifyServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    NotifyServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (NotifyServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new NotifyServiceFileDescriptorSupplier())
              .addMethod(getHandleProviderNotificationMethod())
              .addMethod(getWatchEventsMethod())
              .addMethod(getListDeliveriesMethod())
              .addMethod(getRedeliverEventMethod())
              .build();
        }
      }
    }
    return result;
  }
}
