package paycorev1_test

// Runs the client against a live paycore started by `scripts/test-clients go` (from the
// repository root), which passes the server's address, a merchant's keys and the port for
// this test's webhook receiver in TEST_PAYCORE_* variables, and the address of a second
// server on the same database that requires mutual TLS, with the CA and client certificate
// to reach it.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	paycorev1 "github.com/paycore/paycore/clients/go/paycore/v1"
)

type env struct {
	target, httpURL, apiKey, webhookSecret, webhookPort string
}

func getEnv(t *testing.T, name string) string {
	t.Helper()
	value := os.Getenv(name)
	if value == "" {
		t.Fatalf("%s is not set: run `scripts/test-clients go` from the repository root", name)
	}
	return value
}

func loadEnv(t *testing.T) env {
	t.Helper()
	get := func(name string) string { t.Helper(); return getEnv(t, name) }
	return env{
		target:        get("TEST_PAYCORE_TARGET"),
		httpURL:       get("TEST_PAYCORE_HTTP_URL"),
		apiKey:        get("TEST_PAYCORE_API_KEY"),
		webhookSecret: get("TEST_PAYCORE_WEBHOOK_SECRET"),
		webhookPort:   get("TEST_PAYCORE_WEBHOOK_PORT"),
	}
}

// delivery is one webhook request as it arrived.
type delivery struct {
	header http.Header
	body   []byte
}

type receiver struct {
	mu         sync.Mutex
	deliveries []delivery
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil || req.URL.Path != "/webhooks" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.deliveries = append(r.deliveries, delivery{header: req.Header.Clone(), body: body})
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// find waits for a delivery whose event has the type and object id given.
func (r *receiver) find(t *testing.T, eventType, objectID string) delivery {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for _, d := range r.deliveries {
			var event struct {
				Type string `json:"type"`
				Data struct {
					ID string `json:"id"`
				} `json:"data"`
			}
			if json.Unmarshal(d.body, &event) == nil && event.Type == eventType && event.Data.ID == objectID {
				r.mu.Unlock()
				return d
			}
		}
		r.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s webhook for %s within 15s", eventType, objectID)
	return delivery{}
}

func TestLiveServer(t *testing.T) {
	e := loadEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	listener, err := net.Listen("tcp", "127.0.0.1:"+e.webhookPort)
	if err != nil {
		t.Fatal(err)
	}
	hooks := &receiver{}
	server := &http.Server{Handler: hooks, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(listener) }()
	defer server.Close()

	client, err := paycorev1.Dial(e.target, e.apiKey)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	prefix := fmt.Sprintf("go-%d", time.Now().UnixNano())

	// 1. A payment the sandbox completes at once.
	created, err := client.Payments.CreatePayment(ctx, &paycorev1.CreatePaymentRequest{
		MerchantOrderId: prefix + "-1",
		Amount:          &paycorev1.Money{AmountMinor: 1999, Currency: "CNY"},
		Description:     "Two coffees",
		Method:          paycorev1.PaymentMethod_PAYMENT_METHOD_QR_CODE,
		Metadata:        map[string]string{"sandbox_outcome": "succeed"},
	})
	if err != nil {
		t.Fatalf("CreatePayment: %v", err)
	}
	paid := created.GetPayment()
	if paid.GetStatus() != paycorev1.PaymentStatus_PAYMENT_STATUS_SUCCEEDED ||
		!strings.HasPrefix(paid.GetId(), "pay_") || paid.GetChannelId() != "sandbox" {
		t.Fatalf("created payment: %v", paid)
	}

	// 2. Read it back by id and by the merchant's order id.
	got, err := client.Payments.GetPayment(ctx, &paycorev1.GetPaymentRequest{
		Lookup: &paycorev1.GetPaymentRequest_Id{Id: paid.GetId()},
	})
	if err != nil {
		t.Fatalf("GetPayment: %v", err)
	}
	if p := got.GetPayment(); p.GetId() != paid.GetId() ||
		p.GetStatus() != paycorev1.PaymentStatus_PAYMENT_STATUS_SUCCEEDED ||
		p.GetAmount().GetAmountMinor() != 1999 || p.GetAmount().GetCurrency() != "CNY" {
		t.Fatalf("GetPayment by id: %v", p)
	}
	byOrder, err := client.Payments.GetPayment(ctx, &paycorev1.GetPaymentRequest{
		Lookup: &paycorev1.GetPaymentRequest_MerchantOrderId{MerchantOrderId: prefix + "-1"},
	})
	if err != nil || byOrder.GetPayment().GetId() != paid.GetId() {
		t.Fatalf("GetPayment by merchant_order_id: %v %v", byOrder, err)
	}

	// 3. It is listed.
	listed, err := client.Payments.ListPayments(ctx, &paycorev1.ListPaymentsRequest{PageSize: 10})
	if err != nil {
		t.Fatalf("ListPayments: %v", err)
	}
	found := false
	for _, p := range listed.GetPayments() {
		found = found || p.GetId() == paid.GetId()
	}
	if !found {
		t.Fatalf("ListPayments does not list %s", paid.GetId())
	}

	// 4. A pending payment, paid through the sandbox's pay endpoint.
	pendingResp, err := client.Payments.CreatePayment(ctx, &paycorev1.CreatePaymentRequest{
		MerchantOrderId: prefix + "-2",
		Amount:          &paycorev1.Money{AmountMinor: 700, Currency: "CNY"},
		Method:          paycorev1.PaymentMethod_PAYMENT_METHOD_QR_CODE,
	})
	if err != nil {
		t.Fatalf("CreatePayment (pending): %v", err)
	}
	pending := pendingResp.GetPayment()
	if pending.GetStatus() != paycorev1.PaymentStatus_PAYMENT_STATUS_PENDING ||
		!strings.Contains(pending.GetNextAction().GetQrCodeContent(), "/sandbox/checkout/"+pending.GetId()) {
		t.Fatalf("pending payment: %v", pending)
	}
	answer, err := http.Post(e.httpURL+"/sandbox/pay/"+pending.GetId(), "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var payAnswer struct {
		PaymentID string `json:"payment_id"`
		Status    string `json:"status"`
	}
	err = json.NewDecoder(answer.Body).Decode(&payAnswer)
	answer.Body.Close()
	if err != nil || answer.StatusCode != http.StatusOK || payAnswer.PaymentID != pending.GetId() || payAnswer.Status != "succeeded" {
		t.Fatalf("sandbox pay: %d %+v %v", answer.StatusCode, payAnswer, err)
	}
	afterPay, err := client.Payments.GetPayment(ctx, &paycorev1.GetPaymentRequest{
		Lookup: &paycorev1.GetPaymentRequest_Id{Id: pending.GetId()},
	})
	if err != nil || afterPay.GetPayment().GetStatus() != paycorev1.PaymentStatus_PAYMENT_STATUS_SUCCEEDED {
		t.Fatalf("paid payment: %v %v", afterPay, err)
	}

	// 5. A partial refund of the first payment.
	refundResp, err := client.Refunds.CreateRefund(ctx, &paycorev1.CreateRefundRequest{
		Payment:          &paycorev1.CreateRefundRequest_PaymentId{PaymentId: paid.GetId()},
		MerchantRefundId: prefix + "-r1",
		Amount:           &paycorev1.Money{AmountMinor: 500, Currency: "CNY"},
		Reason:           "one coffee spilled",
	})
	if err != nil {
		t.Fatalf("CreateRefund: %v", err)
	}
	refund := refundResp.GetRefund()
	if refund.GetStatus() != paycorev1.RefundStatus_REFUND_STATUS_SUCCEEDED || !strings.HasPrefix(refund.GetId(), "rfd_") {
		t.Fatalf("refund: %v", refund)
	}
	refunded, err := client.Payments.GetPayment(ctx, &paycorev1.GetPaymentRequest{
		Lookup: &paycorev1.GetPaymentRequest_Id{Id: paid.GetId()},
	})
	if err != nil || refunded.GetPayment().GetRefundedAmount().GetAmountMinor() != 500 {
		t.Fatalf("refunded payment: %v %v", refunded, err)
	}

	// 6. The event stream replays all of it in order.
	watchEvents(ctx, t, client, map[string][]string{
		paid.GetId():    {"payment.created", "payment.succeeded"},
		refund.GetId():  {"refund.created", "refund.succeeded"},
		pending.GetId(): {"payment.created", "payment.pending", "payment.succeeded"},
	})

	// 7. Errors carry a stable reason and, for bad requests, the bad field.
	_, err = client.Payments.CreatePayment(ctx, &paycorev1.CreatePaymentRequest{
		MerchantOrderId: prefix + "-3",
		Amount:          &paycorev1.Money{AmountMinor: -5, Currency: "CNY"},
		Method:          paycorev1.PaymentMethod_PAYMENT_METHOD_QR_CODE,
	})
	if status.Code(err) != codes.InvalidArgument || paycorev1.Reason(err) != "INVALID_REQUEST" {
		t.Fatalf("negative amount: %v (reason %q)", err, paycorev1.Reason(err))
	}
	violations := paycorev1.FieldViolations(err)
	if len(violations) != 1 || violations[0].GetField() != "amount.amount_minor" || violations[0].GetReason() != "INVALID_AMOUNT" {
		t.Fatalf("field violations: %v", violations)
	}
	_, err = client.Payments.CreatePayment(ctx, &paycorev1.CreatePaymentRequest{
		MerchantOrderId: prefix + "-1",
		Amount:          &paycorev1.Money{AmountMinor: 1000, Currency: "CNY"},
		Method:          paycorev1.PaymentMethod_PAYMENT_METHOD_QR_CODE,
		Metadata:        map[string]string{"sandbox_outcome": "succeed"},
	})
	if status.Code(err) != codes.AlreadyExists || paycorev1.Reason(err) != "IDEMPOTENCY_CONFLICT" ||
		paycorev1.ErrorInfo(err).GetDomain() != paycorev1.ErrorDomain {
		t.Fatalf("reused merchant_order_id: %v (reason %q)", err, paycorev1.Reason(err))
	}

	// 8. The webhook for the first payment verifies with the Standard Webhooks library, and
	// would not if the body had been changed on the way.
	hook := hooks.find(t, "payment.succeeded", paid.GetId())
	verifier, err := standardwebhooks.NewWebhook(e.webhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	if err := verifier.Verify(hook.body, hook.header); err != nil {
		t.Fatalf("webhook signature: %v", err)
	}
	var body struct {
		ID   string `json:"id"`
		Data struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	if err := json.Unmarshal(hook.body, &body); err != nil || body.ID != hook.header.Get("webhook-id") ||
		body.Data.Status != "PAYMENT_STATUS_SUCCEEDED" {
		t.Fatalf("webhook body: %s", hook.body)
	}
	tampered := bytes.Replace(hook.body, []byte("PAYMENT_STATUS_SUCCEEDED"), []byte("PAYMENT_STATUS_SUCCEEDEX"), 1)
	if err := verifier.Verify(tampered, hook.header); err == nil {
		t.Fatal("a tampered webhook body verified")
	}
}

// TestLiveMutualTLS reaches the paycore that requires mutual TLS: with the client certificate
// a payment is created and listed; without one the server refuses the handshake, so the call
// fails in transport and never reaches paycore.
func TestLiveMutualTLS(t *testing.T) {
	target := getEnv(t, "TEST_PAYCORE_TLS_TARGET")
	ca := getEnv(t, "TEST_PAYCORE_TLS_CA")
	cert := getEnv(t, "TEST_PAYCORE_TLS_CLIENT_CERT")
	key := getEnv(t, "TEST_PAYCORE_TLS_CLIENT_KEY")
	apiKey := getEnv(t, "TEST_PAYCORE_API_KEY")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	orderID := fmt.Sprintf("go-tls-%d", time.Now().UnixNano())

	t.Run("with a client certificate", func(t *testing.T) {
		withCert, err := paycorev1.WithTLS(ca, cert, key)
		if err != nil {
			t.Fatal(err)
		}
		client, err := paycorev1.Dial(target, apiKey, withCert)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		created, err := client.Payments.CreatePayment(ctx, &paycorev1.CreatePaymentRequest{
			MerchantOrderId: orderID,
			Amount:          &paycorev1.Money{AmountMinor: 1999, Currency: "CNY"},
			Method:          paycorev1.PaymentMethod_PAYMENT_METHOD_QR_CODE,
			Metadata:        map[string]string{"sandbox_outcome": "succeed"},
		})
		if err != nil {
			t.Fatalf("CreatePayment over mutual TLS: %v", err)
		}
		paid := created.GetPayment()
		if paid.GetStatus() != paycorev1.PaymentStatus_PAYMENT_STATUS_SUCCEEDED || paid.GetMerchantOrderId() != orderID {
			t.Fatalf("payment created over mutual TLS: %v", paid)
		}
		listed, err := client.Payments.ListPayments(ctx, &paycorev1.ListPaymentsRequest{PageSize: 10})
		if err != nil {
			t.Fatalf("ListPayments over mutual TLS: %v", err)
		}
		found := false
		for _, p := range listed.GetPayments() {
			found = found || p.GetId() == paid.GetId()
		}
		if !found {
			t.Fatalf("ListPayments over mutual TLS does not list %s", paid.GetId())
		}
	})

	t.Run("without a client certificate", func(t *testing.T) {
		caOnly, err := paycorev1.WithTLS(ca, "", "")
		if err != nil {
			t.Fatal(err)
		}
		client, err := paycorev1.Dial(target, apiKey, caOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		_, err = client.Payments.ListPayments(ctx, &paycorev1.ListPaymentsRequest{PageSize: 10})
		// The server ended the connection (with its "certificate required" alert, or by closing
		// it before the client read that), not the client's own distrust of the server's
		// certificate, which crypto/tls reports as "failed to verify certificate".
		if status.Code(err) != codes.Unavailable || paycorev1.Reason(err) != "" ||
			strings.Contains(err.Error(), "failed to verify certificate") {
			t.Fatalf("ListPayments over TLS without a client certificate: %v, want UNAVAILABLE from the refused handshake", err)
		}
		t.Logf("refused as expected: %v", err)
	})
}

// watchEvents reads the stream from the beginning until every object has had the event
// types expected of it, in that order, and checks cursors rise and ids do not repeat.
func watchEvents(ctx context.Context, t *testing.T, client *paycorev1.Client, want map[string][]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	stream, err := client.Notify.WatchEvents(ctx, &paycorev1.WatchEventsRequest{Cursor: "0"})
	if err != nil {
		t.Fatalf("WatchEvents: %v", err)
	}
	seen := map[string][]string{}
	ids := map[string]bool{}
	var lastCursor int64
	complete := func() bool {
		for object, types := range want {
			if len(seen[object]) < len(types) {
				return false
			}
		}
		return true
	}
	for !complete() {
		resp, err := stream.Recv()
		if err != nil {
			t.Fatalf("WatchEvents ended before all events arrived (seen %v): %v", seen, err)
		}
		event := resp.GetEvent()
		var cursor int64
		if _, err := fmt.Sscan(event.GetCursor(), &cursor); err != nil || cursor <= lastCursor {
			t.Fatalf("cursor %q after %d", event.GetCursor(), lastCursor)
		}
		lastCursor = cursor
		if ids[event.GetId()] || !strings.HasPrefix(event.GetId(), "evt_") {
			t.Fatalf("event id %q repeated or malformed", event.GetId())
		}
		ids[event.GetId()] = true
		object := event.GetPayment().GetId()
		if object == "" {
			object = event.GetRefund().GetId()
		}
		if _, ok := want[object]; ok {
			seen[object] = append(seen[object], event.GetType())
		}
	}
	for object, types := range want {
		if strings.Join(seen[object], ",") != strings.Join(types, ",") {
			t.Fatalf("events of %s: %v, want %v", object, seen[object], types)
		}
	}
}
