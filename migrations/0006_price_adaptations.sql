CREATE TABLE `price_adaptations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`external_ref` text,
	`type` text NOT NULL,
	`percentage` integer,
	`index_values` text NOT NULL,
	`schedule` text NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `price_adaptations_owner_name` ON `price_adaptations` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `price_adaptations_owner_external_ref` ON `price_adaptations` (`contract_owner_id`,`external_ref`) WHERE "price_adaptations"."external_ref" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `applied_price_adaptations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_contract_id` integer NOT NULL,
	`effective_date` text NOT NULL,
	`source` text NOT NULL,
	`source_key` text NOT NULL,
	`price_adaptation_id` integer,
	`contract_price_step_id` integer,
	`percentage` integer,
	`index_month` text,
	`index_value` integer,
	`previous_index_month` text,
	`previous_index_value` integer,
	`factor_numerator` integer NOT NULL,
	`factor_denominator` integer NOT NULL,
	`applied_at` text NOT NULL,
	`applied_by` text,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `applied_price_adaptations_once` ON `applied_price_adaptations` (`customer_contract_id`,`effective_date`,`source_key`);--> statement-breakpoint
CREATE INDEX `applied_price_adaptations_owner` ON `applied_price_adaptations` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `applied_price_adaptations_step` ON `applied_price_adaptations` (`contract_price_step_id`);--> statement-breakpoint
CREATE INDEX `applied_price_adaptations_adaptation` ON `applied_price_adaptations` (`price_adaptation_id`);--> statement-breakpoint
CREATE TABLE `contract_price_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_contract_id` integer NOT NULL,
	`date` text NOT NULL,
	`percentage` integer NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contract_price_steps_contract` ON `contract_price_steps` (`customer_contract_id`,`date`);--> statement-breakpoint
CREATE INDEX `contract_price_steps_owner` ON `contract_price_steps` (`contract_owner_id`);--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `price_adaptation_id` integer REFERENCES price_adaptations(id);--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `price_adaptation_check_date` text;--> statement-breakpoint
CREATE INDEX `customer_contracts_price_adaptation` ON `customer_contracts` (`price_adaptation_id`) WHERE "customer_contracts"."price_adaptation_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `customer_contracts_price_adaptation_check` ON `customer_contracts` (`price_adaptation_check_date`) WHERE "customer_contracts"."price_adaptation_check_date" IS NOT NULL;