package dev.paycore.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Reconciliation (对账): each channel's statement for a provider day, matched both ways
 * against paycore's payments and refunds, and the differences found. Operator-only: every
 * call needs `authorization: Bearer &lt;operator key&gt;`.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class ReconciliationServiceGrpc {

  private ReconciliationServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "paycore.v1.ReconciliationService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.RunReconciliationRequest,
      dev.paycore.v1.RunReconciliationResponse> getRunReconciliationMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RunReconciliation",
      requestType = dev.paycore.v1.RunReconciliationRequest.class,
      responseType = dev.paycore.v1.RunReconciliationResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.RunReconciliationRequest,
      dev.paycore.v1.RunReconciliationResponse> getRunReconciliationMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.RunReconciliationRequest, dev.paycore.v1.RunReconciliationResponse> getRunReconciliationMethod;
    if ((getRunReconciliationMethod = ReconciliationServiceGrpc.getRunReconciliationMethod) == null) {
      synchronized (ReconciliationServiceGrpc.class) {
        if ((getRunReconciliationMethod = ReconciliationServiceGrpc.getRunReconciliationMethod) == null) {
          ReconciliationServiceGrpc.getRunReconciliationMethod = getRunReconciliationMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.RunReconciliationRequest, dev.paycore.v1.RunReconciliationResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RunReconciliation"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RunReconciliationRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.RunReconciliationResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ReconciliationServiceMethodDescriptorSupplier("RunReconciliation"))
              .build();
        }
      }
    }
    return getRunReconciliationMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.GetRunRequest,
      dev.paycore.v1.GetRunResponse> getGetRunMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetRun",
      requestType = dev.paycore.v1.GetRunRequest.class,
      responseType = dev.paycore.v1.GetRunResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.GetRunRequest,
      dev.paycore.v1.GetRunResponse> getGetRunMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.GetRunRequest, dev.paycore.v1.GetRunResponse> getGetRunMethod;
    if ((getGetRunMethod = ReconciliationServiceGrpc.getGetRunMethod) == null) {
      synchronized (ReconciliationServiceGrpc.class) {
        if ((getGetRunMethod = ReconciliationServiceGrpc.getGetRunMethod) == null) {
          ReconciliationServiceGrpc.getGetRunMethod = getGetRunMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.GetRunRequest, dev.paycore.v1.GetRunResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetRun"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.GetRunRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.GetRunResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ReconciliationServiceMethodDescriptorSupplier("GetRun"))
              .build();
        }
      }
    }
    return getGetRunMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListRunsRequest,
      dev.paycore.v1.ListRunsResponse> getListRunsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRuns",
      requestType = dev.paycore.v1.ListRunsRequest.class,
      responseType = dev.paycore.v1.ListRunsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListRunsRequest,
      dev.paycore.v1.ListRunsResponse> getListRunsMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListRunsRequest, dev.paycore.v1.ListRunsResponse> getListRunsMethod;
    if ((getListRunsMethod = ReconciliationServiceGrpc.getListRunsMethod) == null) {
      synchronized (ReconciliationServiceGrpc.class) {
        if ((getListRunsMethod = ReconciliationServiceGrpc.getListRunsMethod) == null) {
          ReconciliationServiceGrpc.getListRunsMethod = getListRunsMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListRunsRequest, dev.paycore.v1.ListRunsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRuns"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRunsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListRunsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ReconciliationServiceMethodDescriptorSupplier("ListRuns"))
              .build();
        }
      }
    }
    return getListRunsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ListDifferencesRequest,
      dev.paycore.v1.ListDifferencesResponse> getListDifferencesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDifferences",
      requestType = dev.paycore.v1.ListDifferencesRequest.class,
      responseType = dev.paycore.v1.ListDifferencesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ListDifferencesRequest,
      dev.paycore.v1.ListDifferencesResponse> getListDifferencesMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ListDifferencesRequest, dev.paycore.v1.ListDifferencesResponse> getListDifferencesMethod;
    if ((getListDifferencesMethod = ReconciliationServiceGrpc.getListDifferencesMethod) == null) {
      synchronized (ReconciliationServiceGrpc.class) {
        if ((getListDifferencesMethod = ReconciliationServiceGrpc.getListDifferencesMethod) == null) {
          ReconciliationServiceGrpc.getListDifferencesMethod = getListDifferencesMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ListDifferencesRequest, dev.paycore.v1.ListDifferencesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDifferences"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListDifferencesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ListDifferencesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ReconciliationServiceMethodDescriptorSupplier("ListDifferences"))
              .build();
        }
      }
    }
    return getListDifferencesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.paycore.v1.ResolveDifferenceRequest,
      dev.paycore.v1.ResolveDifferenceResponse> getResolveDifferenceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ResolveDifference",
      requestType = dev.paycore.v1.ResolveDifferenceRequest.class,
      responseType = dev.paycore.v1.ResolveDifferenceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.paycore.v1.ResolveDifferenceRequest,
      dev.paycore.v1.ResolveDifferenceResponse> getResolveDifferenceMethod() {
    io.grpc.MethodDescriptor<dev.paycore.v1.ResolveDifferenceRequest, dev.paycore.v1.ResolveDifferenceResponse> getResolveDifferenceMethod;
    if ((getResolveDifferenceMethod = ReconciliationServiceGrpc.getResolveDifferenceMethod) == null) {
      synchronized (ReconciliationServiceGrpc.class) {
        if ((getResolveDifferenceMethod = ReconciliationServiceGrpc.getResolveDifferenceMethod) == null) {
          ReconciliationServiceGrpc.getResolveDifferenceMethod = getResolveDifferenceMethod =
              io.grpc.MethodDescriptor.<dev.paycore.v1.ResolveDifferenceRequest, dev.paycore.v1.ResolveDifferenceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ResolveDifference"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ResolveDifferenceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.paycore.v1.ResolveDifferenceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ReconciliationServiceMethodDescriptorSupplier("ResolveDifference"))
              .build();
        }
      }
    }
    return getResolveDifferenceMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ReconciliationServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceStub>() {
        @java.lang.Override
        public ReconciliationServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ReconciliationServiceStub(channel, callOptions);
        }
      };
    return ReconciliationServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static ReconciliationServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceBlockingV2Stub>() {
        @java.lang.Override
        public ReconciliationServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ReconciliationServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return ReconciliationServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ReconciliationServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceBlockingStub>() {
        @java.lang.Override
        public ReconciliationServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ReconciliationServiceBlockingStub(channel, callOptions);
        }
      };
    return ReconciliationServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ReconciliationServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ReconciliationServiceFutureStub>() {
        @java.lang.Override
        public ReconciliationServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ReconciliationServiceFutureStub(channel, callOptions);
        }
      };
    return ReconciliationServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Reconciliation (对账): each channel's statement for a provider day, matched both ways
   * against paycore's payments and refunds, and the differences found. Operator-only: every
   * call needs `authorization: Bearer &lt;operator key&gt;`.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Reconciles a channel's day and answers the run as it ended: COMPLETED with its summary,
     * or FAILED with why (a statement that could not be had or read whole concludes nothing).
     * A run already under way for the same channel and day: ABORTED / RECONCILIATION_RUNNING.
     * A day that has not ended at the provider: INVALID_ARGUMENT / DAY_NOT_ENDED. The run goes
     * on if the caller goes away; ListRuns shows it.
     * </pre>
     */
    default void runReconciliation(dev.paycore.v1.RunReconciliationRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RunReconciliationResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRunReconciliationMethod(), responseObserver);
    }

    /**
     * <pre>
     * One run by id.
     * </pre>
     */
    default void getRun(dev.paycore.v1.GetRunRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.GetRunResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetRunMethod(), responseObserver);
    }

    /**
     * <pre>
     * Runs, newest first.
     * </pre>
     */
    default void listRuns(dev.paycore.v1.ListRunsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRunsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRunsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Differences, oldest first.
     * </pre>
     */
    default void listDifferences(dev.paycore.v1.ListDifferencesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListDifferencesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDifferencesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Resolves an open (or carried) difference, saying who and what was done. One that is
     * resolved or cleared already: FAILED_PRECONDITION / DIFFERENCE_NOT_OPEN.
     * </pre>
     */
    default void resolveDifference(dev.paycore.v1.ResolveDifferenceRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ResolveDifferenceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getResolveDifferenceMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service ReconciliationService.
   * <pre>
   * Reconciliation (对账): each channel's statement for a provider day, matched both ways
   * against paycore's payments and refunds, and the differences found. Operator-only: every
   * call needs `authorization: Bearer &lt;operator key&gt;`.
   * </pre>
   */
  public static abstract class ReconciliationServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return ReconciliationServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service ReconciliationService.
   * <pre>
   * Reconciliation (对账): each channel's statement for a provider day, matched both ways
   * against paycore's payments and refunds, and the differences found. Operator-only: every
   * call needs `authorization: Bearer &lt;operator key&gt;`.
   * </pre>
   */
  public static final class ReconciliationServiceStub
      extends io.grpc.stub.AbstractAsyncStub<ReconciliationServiceStub> {
    private ReconciliationServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ReconciliationServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ReconciliationServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Reconciles a channel's day and answers the run as it ended: COMPLETED with its summary,
     * or FAILED with why (a statement that could not be had or read whole concludes nothing).
     * A run already under way for the same channel and day: ABORTED / RECONCILIATION_RUNNING.
     * A day that has not ended at the provider: INVALID_ARGUMENT / DAY_NOT_ENDED. The run goes
     * on if the caller goes away; ListRuns shows it.
     * </pre>
     */
    public void runReconciliation(dev.paycore.v1.RunReconciliationRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.RunReconciliationResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRunReconciliationMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * One run by id.
     * </pre>
     */
    public void getRun(dev.paycore.v1.GetRunRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.GetRunResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetRunMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Runs, newest first.
     * </pre>
     */
    public void listRuns(dev.paycore.v1.ListRunsRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListRunsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRunsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Differences, oldest first.
     * </pre>
     */
    public void listDifferences(dev.paycore.v1.ListDifferencesRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ListDifferencesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDifferencesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Resolves an open (or carried) difference, saying who and what was done. One that is
     * resolved or cleared already: FAILED_PRECONDITION / DIFFERENCE_NOT_OPEN.
     * </pre>
     */
    public void resolveDifference(dev.paycore.v1.ResolveDifferenceRequest request,
        io.grpc.stub.StreamObserver<dev.paycore.v1.ResolveDifferenceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getResolveDifferenceMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service ReconciliationService.
   * <pre>
   * Reconciliation (对账): each channel's statement for a provider day, matched both ways
   * against paycore's payments and refunds, and the differences found. Operator-only: every
   * call needs `authorization: Bearer &lt;operator key&gt;`.
   * </pre>
   */
  public static final class ReconciliationServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<ReconciliationServiceBlockingV2Stub> {
    private ReconciliationServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ReconciliationServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ReconciliationServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Reconciles a channel's day and answers the run as it ended: COMPLETED with its summary,
     * or FAILED with why (a statement that could not be had or read whole concludes nothing).
     * A run already under way for the same channel and day: ABORTED / RECONCILIATION_RUNNING.
     * A day that has not ended at the provider: INVALID_ARGUMENT / DAY_NOT_ENDED. The run goes
     * on if the caller goes away; ListRuns shows it.
     * </pre>
     */
    public dev.paycore.v1.RunReconciliationResponse runReconciliation(dev.paycore.v1.RunReconciliationRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRunReconciliationMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * One run by id.
     * </pre>
     */
    public dev.paycore.v1.GetRunResponse getRun(dev.paycore.v1.GetRunRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetRunMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Runs, newest first.
     * </pre>
     */
    public dev.paycore.v1.ListRunsResponse listRuns(dev.paycore.v1.ListRunsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRunsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Differences, oldest first.
     * </pre>
     */
    public dev.paycore.v1.ListDifferencesResponse listDifferences(dev.paycore.v1.ListDifferencesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDifferencesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Resolves an open (or carried) difference, saying who and what was done. One that is
     * resolved or cleared already: FAILED_PRECONDITION / DIFFERENCE_NOT_OPEN.
     * </pre>
     */
    public dev.paycore.v1.ResolveDifferenceResponse resolveDifference(dev.paycore.v1.ResolveDifferenceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getResolveDifferenceMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service ReconciliationService.
   * <pre>
   * Reconciliation (对账): each channel's statement for a provider day, matched both ways
   * against paycore's payments and refunds, and the differences found. Operator-only: every
   * call needs `authorization: Bearer &lt;operator key&gt;`.
   * </pre>
   */
  public static final class ReconciliationServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<ReconciliationServiceBlockingStub> {
    private ReconciliationServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ReconciliationServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ReconciliationServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Reconciles a channel's day and answers the run as it ended: COMPLETED with its summary,
     * or FAILED with why (a statement that could not be had or read whole concludes nothing).
     * A run already under way for the same channel and day: ABORTED / RECONCILIATION_RUNNING.
     * A day that has not ended at the provider: INVALID_ARGUMENT / DAY_NOT_ENDED. The run goes
     * on if the caller goes away; ListRuns shows it.
     * </pre>
     */
    public dev.paycore.v1.RunReconciliationResponse runReconciliation(dev.paycore.v1.RunReconciliationRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRunReconciliationMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * One run by id.
     * </pre>
     */
    public dev.paycore.v1.GetRunResponse getRun(dev.paycore.v1.GetRunRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetRunMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Runs, newest first.
     * </pre>
     */
    public dev.paycore.v1.ListRunsResponse listRuns(dev.paycore.v1.ListRunsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRunsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Differences, oldest first.
     * </pre>
     */
    public dev.paycore.v1.ListDifferencesResponse listDifferences(dev.paycore.v1.ListDifferencesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDifferencesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Resolves an open (or carried) difference, saying who and what was done. One that is
     * resolved or cleared already: FAILED_PRECONDITION / DIFFERENCE_NOT_OPEN.
     * </pre>
     */
    public dev.paycore.v1.ResolveDifferenceResponse resolveDifference(dev.paycore.v1.ResolveDifferenceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getResolveDifferenceMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service ReconciliationService.
   * <pre>
   * Reconciliation (对账): each channel's statement for a provider day, matched both ways
   * against paycore's payments and refunds, and the differences found. Operator-only: every
   * call needs `authorization: Bearer &lt;operator key&gt;`.
   * </pre>
   */
  public static final class ReconciliationServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<ReconciliationServiceFutureStub> {
    private ReconciliationServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ReconciliationServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ReconciliationServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Reconciles a channel's day and answers the run as it ended: COMPLETED with its summary,
     * or FAILED with why (a statement that could not be had or read whole concludes nothing).
     * A run already under way for the same channel and day: ABORTED / RECONCILIATION_RUNNING.
     * A day that has not ended at the provider: INVALID_ARGUMENT / DAY_NOT_ENDED. The run goes
     * on if the caller goes away; ListRuns shows it.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.RunReconciliationResponse> runReconciliation(
        dev.paycore.v1.RunReconciliationRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRunReconciliationMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * One run by id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.GetRunResponse> getRun(
        dev.paycore.v1.GetRunRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetRunMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Runs, newest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListRunsResponse> listRuns(
        dev.paycore.v1.ListRunsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRunsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Differences, oldest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ListDifferencesResponse> listDifferences(
        dev.paycore.v1.ListDifferencesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDifferencesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Resolves an open (or carried) difference, saying who and what was done. One that is
     * resolved or cleared already: FAILED_PRECONDITION / DIFFERENCE_NOT_OPEN.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.paycore.v1.ResolveDifferenceResponse> resolveDifference(
        dev.paycore.v1.ResolveDifferenceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getResolveDifferenceMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_RUN_RECONCILIATION = 0;
  private static final int METHODID_GET_RUN = 1;
  private static final int METHODID_LIST_RUNS = 2;
  private static final int METHODID_LIST_DIFFERENCES = 3;
  private static final int METHODID_RESOLVE_DIFFERENCE = 4;

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
        case METHODID_RUN_RECONCILIATION:
          serviceImpl.runReconciliation((dev.paycore.v1.RunReconciliationRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.RunReconciliationResponse>) responseObserver);
          break;
        case METHODID_GET_RUN:
          serviceImpl.getRun((dev.paycore.v1.GetRunRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.GetRunResponse>) responseObserver);
          break;
        case METHODID_LIST_RUNS:
          serviceImpl.listRuns((dev.paycore.v1.ListRunsRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListRunsResponse>) responseObserver);
          break;
        case METHODID_LIST_DIFFERENCES:
          serviceImpl.listDifferences((dev.paycore.v1.ListDifferencesRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ListDifferencesResponse>) responseObserver);
          break;
        case METHODID_RESOLVE_DIFFERENCE:
          serviceImpl.resolveDifference((dev.paycore.v1.ResolveDifferenceRequest) request,
              (io.grpc.stub.StreamObserver<dev.paycore.v1.ResolveDifferenceResponse>) responseObserver);
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
          getRunReconciliationMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.RunReconciliationRequest,
              dev.paycore.v1.RunReconciliationResponse>(
                service, METHODID_RUN_RECONCILIATION)))
        .addMethod(
          getGetRunMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.GetRunRequest,
              dev.paycore.v1.GetRunResponse>(
                service, METHODID_GET_RUN)))
        .addMethod(
          getListRunsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListRunsRequest,
              dev.paycore.v1.ListRunsResponse>(
                service, METHODID_LIST_RUNS)))
        .addMethod(
          getListDifferencesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ListDifferencesRequest,
              dev.paycore.v1.ListDifferencesResponse>(
                service, METHODID_LIST_DIFFERENCES)))
        .addMethod(
          getResolveDifferenceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.paycore.v1.ResolveDifferenceRequest,
              dev.paycore.v1.ResolveDifferenceResponse>(
                service, METHODID_RESOLVE_DIFFERENCE)))
        .build();
  }

  private static abstract class ReconciliationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ReconciliationServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.paycore.v1.ReconciliationProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ReconciliationService");
    }
  }

  private static final class ReconciliationServiceFileDescriptorSupplier
      extends ReconciliationServiceBaseDescriptorSupplier {
    ReconciliationServiceFileDescriptorSupplier() {}
  }

  private static final class ReconciliationServiceMethodDescriptorSupplier
      extends ReconciliationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    ReconciliationServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (ReconciliationServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ReconciliationServiceFileDescriptorSupplier())
              .addMethod(getRunReconciliationMethod())
              .addMethod(getGetRunMethod())
              .addMethod(getListRunsMethod())
              .addMethod(getListDifferencesMethod())
              .addMethod(getResolveDifferenceMethod())
              .build();
        }
      }
    }
    return result;
  }
}
