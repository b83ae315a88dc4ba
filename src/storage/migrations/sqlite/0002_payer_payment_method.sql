-- The provider token for the buyer's payment method (CARD payments).
ALTER TABLE payments ADD COLUMN payer_payment_method TEXT;
