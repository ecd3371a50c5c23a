ALTER TABLE `idempotency_keys` ADD `lease_expires_at` integer;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `lease_expires_at` integer;