package dev.paycore.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Operator-only view and controls of the running node. Every call needs
 * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
 * per node.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AdminServiceGrpc {

  private AdminServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "paycore.v1.AdminService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListChannelsRequest,
      dev.paycore.v1.ListChannelsResponse> getListChannelsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListChannels",
      requestType = dev.paycore.v1.ListChannelsRequest.class,
      responseType = dev.paycore.v1.ListChannelsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListChannelsRequest,
      dev.paycore.v1.ListChannelsResponse> getListChannelsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListChannelsRequest, dev.paycore.v1.ListChannelsResponse> getListChannelsMethod;
    if ((getListChannelsMethod = AdminServiceGrpc.getListChannelsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListChannelsMethod = AdminServiceGrpc.getListChannelsMethod) == null) {
          AdminServiceGrpc.getListChannelsMethod = getListChannelsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListChannelsRequest, dev.paycore.v1.ListChannelsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListChannels"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListChannelsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListChannelsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListChannels"))
              .build();
        }
      }
    }
    return getListChannelsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelEnabledRequest,
      dev.paycore.v1.SetChannelEnabledResponse> getSetChannelEnabledMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetChannelEnabled",
      requestType = dev.paycore.v1.SetChannelEnabledRequest.class,
      responseType = dev.paycore.v1.SetChannelEnabledResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelEnabledRequest,
      dev.paycore.v1.SetChannelEnabledResponse> getSetChannelEnabledMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelEnabledRequest, dev.paycore.v1.SetChannelEnabledResponse> getSetChannelEnabledMethod;
    if ((getSetChannelEnabledMethod = AdminServiceGrpc.getSetChannelEnabledMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetChannelEnabledMethod = AdminServiceGrpc.getSetChannelEnabledMethod) == null) {
          AdminServiceGrpc.getSetChannelEnabledMethod = getSetChannelEnabledMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetChannelEnabledRequest, dev.paycore.v1.SetChannelEnabledResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetChannelEnabled"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelEnabledRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelEnabledResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetChannelEnabled"))
              .build();
        }
      }
    }
    return getSetChannelEnabledMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelFaultsRequest,
      dev.paycore.v1.SetChannelFaultsResponse> getSetChannelFaultsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetChannelFaults",
      requestType = dev.paycore.v1.SetChannelFaultsRequest.class,
      responseType = dev.paycore.v1.SetChannelFaultsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelFaultsRequest,
      dev.paycore.v1.SetChannelFaultsResponse> getSetChannelFaultsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.SetChannelFaultsRequest, dev.paycore.v1.SetChannelFaultsResponse> getSetChannelFaultsMethod;
    if ((getSetChannelFaultsMethod = AdminServiceGrpc.getSetChannelFaultsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetChannelFaultsMethod = AdminServiceGrpc.getSetChannelFaultsMethod) == null) {
          AdminServiceGrpc.getSetChannelFaultsMethod = getSetChannelFaultsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.SetChannelFaultsRequest, dev.paycore.v1.SetChannelFaultsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetChannelFaults"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelFaultsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.SetChannelFaultsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetChannelFaults"))
              .build();
        }
      }
    }
    return getSetChannelFaultsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AdminServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub>() {
        @java.lang.Override
        public AdminServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceStub(channel, callOptions);
        }
      };
    return AdminServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AdminServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub>() {
        @java.lang.Override
        public AdminServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AdminServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AdminServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub>() {
        @java.lang.Override
        public AdminServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingStub(channel, callOptions);
        }
      };
    return AdminServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AdminServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub>() {
        @java.lang.Override
        public AdminServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceFutureStub(channel, callOptions);
        }
      };
    return AdminServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    default void listChannels(dev.paycore.v1.ListChannelsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListChannelsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListChannelsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    default void setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelEnabledResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetChannelEnabledMethod(), responseObserver);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    default void setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelFaultsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetChannelFaultsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static abstract class AdminServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AdminServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AdminServiceStub> {
    private AdminServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public void listChannels(dev.paycore.v1.ListChannelsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListChannelsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListChannelsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public void setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelEnabledResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetChannelEnabledMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public void setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelFaultsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetChannelFaultsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingV2Stub> {
    private AdminServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public dev.paycore.v1.ListChannelsResponse listChannels(dev.paycore.v1.ListChannelsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListChannelsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public dev.paycore.v1.SetChannelEnabledResponse setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetChannelEnabledMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public dev.paycore.v1.SetChannelFaultsResponse setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetChannelFaultsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingStub> {
    private AdminServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public dev.paycore.v1.ListChannelsResponse listChannels(dev.paycore.v1.ListChannelsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListChannelsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public dev.paycore.v1.SetChannelEnabledResponse setChannelEnabled(dev.paycore.v1.SetChannelEnabledRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetChannelEnabledMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public dev.paycore.v1.SetChannelFaultsResponse setChannelFaults(dev.paycore.v1.SetChannelFaultsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetChannelFaultsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AdminService.
   * <pre>
   * Operator-only view and controls of the running node. Every call needs
   * `authorization: Bearer &lt;operator key&gt;`. Channel health (breaker, limiter, statistics) is
   * per node.
   * </pre>
   */
  public static final class AdminServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AdminServiceFutureStub> {
    private AdminServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists the configured channels with their health.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListChannelsResponse> listChannels(
        dev.paycore.v1.ListChannelsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListChannelsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Takes a channel out of routing (or puts it back) on this node.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetChannelEnabledResponse> setChannelEnabled(
        dev.paycore.v1.SetChannelEnabledRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetChannelEnabledMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Injects faults into a sandbox channel, to rehearse an outage. Other channels refuse
     * with FAILED_PRECONDITION / NOT_A_SANDBOX_CHANNEL.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.SetChannelFaultsResponse> setChannelFaults(
        dev.paycore.v1.SetChannelFaultsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetChannelFaultsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_CHANNELS = 0;
  private static final int METHODID_SET_CHANNEL_ENABLED = 1;
  private static final int METHODID_SET_CHANNEL_FAULTS = 2;

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
        case METHODID_LIST_CHANNELS:
          serviceImpl.listChannels((dev.paycore.v1.ListChannelsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListChannelsResponse>) responseObserver);
          break;
        case METHODID_SET_CHANNEL_ENABLED:
          serviceImpl.setChannelEnabled((dev.paycore.v1.SetChannelEnabledRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelEnabledResponse>) responseObserver);
          break;
        case METHODID_SET_CHANNEL_FAULTS:
          serviceImpl.setChannelFaults((dev.paycore.v1.SetChannelFaultsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.SetChannelFaultsResponse>) responseObserver);
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
          getListChannelsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListChannelsRequest,
              dev.paycore.v1.ListChannelsResponse>(
                service, METHODID_LIST_CHANNELS)))
        .addMethod(
          getSetChannelEnabledMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetChannelEnabledRequest,
              dev.paycore.v1.SetChannelEnabledResponse>(
                service, METHODID_SET_CHANNEL_ENABLED)))
        .addMethod(
          getSetChannelFaultsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.SetChannelFaultsRequest,
              dev.paycore.v1.SetChannelFaultsResponse>(
                service, METHODID_SET_CHANNEL_FAULTS)))
        .build();
  }

  private static abstract class AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AdminServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.paycore.v1.AdminProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AdminService");
    }
  }

  private static final class AdminServiceFileDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier {
    AdminServiceFileDescriptorSupplier() {}
  }

  private static final class AdminServiceMethodDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AdminServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AdminServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AdminServiceFileDescriptorSupplier())
              .addMethod(getListChannelsMethod())
              .addMethod(getSetChannelEnabledMethod())
              .addMethod(getSetChannelFaultsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
