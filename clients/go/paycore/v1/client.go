package paycorev1

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the ErrorInfo domain of every error paycore returns.
const ErrorDomain = "paycore"

// Client holds one connection to paycore and a stub for each service on it.
type Client struct {
	Payments PaymentServiceClient
	Refunds  RefundServiceClient
	Notify   NotifyServiceClient
	Admin    AdminServiceClient
	conn     *grpc.ClientConn
}

// Dial connects to paycore at target ("host:port") and sends apiKey with every call. Without
// options the connection is plaintext, for a paycore on the same host or behind a sidecar;
// pass WithTLS(...) (or grpc.WithTransportCredentials(credentials.NewTLS(...)) with a
// tls.Config of your own) to use TLS.
func Dial(target, apiKey string, opts ...grpc.DialOption) (*Client, error) {
	all := append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(APIKey(apiKey)),
	}, opts...)
	conn, err := grpc.NewClient(target, all...)
	if err != nil {
		return nil, err
	}
	return &Client{
		Payments: NewPaymentServiceClient(conn),
		Refunds:  NewRefundServiceClient(conn),
		Notify:   NewNotifyServiceClient(conn),
		Admin:    NewAdminServiceClient(conn),
		conn:     conn,
	}, nil
}

// WithTLS returns a dial option for TLS (1.2 or later) to a paycore with [server.tls]. The
// server's certificate must chain to a CA in the PEM file caFile, or to the system's roots
// when caFile is "", and name the host of Dial's target. For mutual TLS, certFile and keyFile
// are the PEM files of the client certificate (with its chain, leaf first) and its private
// key; leave both "" when the server does not ask for one.
func WithTLS(caFile, certFile, keyFile string) (grpc.DialOption, error) {
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("paycore TLS CA: %w", err)
		}
		config.RootCAs = x509.NewCertPool()
		if !config.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("paycore TLS CA: no PEM certificate in %s", caFile)
		}
	}
	if (certFile == "") != (keyFile == "") {
		return nil, errors.New("paycore TLS client certificate: give both certFile and keyFile, or neither")
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("paycore TLS client certificate: %w", err)
		}
		config.Certificates = []tls.Certificate{cert}
	}
	return grpc.WithTransportCredentials(credentials.NewTLS(config)), nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// APIKey returns call credentials that send key as `authorization: Bearer <key>`, for use
// with a connection set up by the caller.
func APIKey(key string) credentials.PerRPCCredentials { return apiKey(key) }

type apiKey string

func (k apiKey) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(k)}, nil
}

// RequireTransportSecurity is false so that plaintext connections to a local paycore work;
// across a network, dial with TLS.
func (apiKey) RequireTransportSecurity() bool { return false }

// ErrorInfo returns the google.rpc.ErrorInfo that paycore attaches to every error, or nil
// when err did not come from paycore.
func ErrorInfo(err error) *errdetails.ErrorInfo {
	for _, detail := range details(err) {
		if info, ok := detail.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// Reason returns the stable reason of a paycore error (e.g. "IDEMPOTENCY_CONFLICT"), or ""
// when err did not come from paycore.
func Reason(err error) string {
	if info := ErrorInfo(err); info != nil && info.GetDomain() == ErrorDomain {
		return info.GetReason()
	}
	return ""
}

// FieldViolations returns the bad fields of an INVALID_ARGUMENT error: the field path (e.g.
// "amount.amount_minor"), a stable reason and a description for each.
func FieldViolations(err error) []*errdetails.BadRequest_FieldViolation {
	var violations []*errdetails.BadRequest_FieldViolation
	for _, detail := range details(err) {
		if bad, ok := detail.(*errdetails.BadRequest); ok {
			violations = append(violations, bad.GetFieldViolations()...)
		}
	}
	return violations
}

func details(err error) []any {
	var withStatus interface{ GRPCStatus() *status.Status }
	if !errors.As(err, &withStatus) {
		return nil
	}
	return withStatus.GRPCStatus().Details()
}
