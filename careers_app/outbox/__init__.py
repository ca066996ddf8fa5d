"""Email through an outbox: written with the change that causes it, sent by a job."""
