-- The W3C traceparent an event was written under, so its webhook deliveries join that trace.
ALTER TABLE events ADD COLUMN trace_context TEXT;
