CREATE TABLE `app_clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`client_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`secret_salt` text NOT NULL,
	`owners` text NOT NULL,
	`scope` text NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_clients_client_id` ON `app_clients` (`client_id`);--> statement-breakpoint
CREATE INDEX `app_clients_name` ON `app_clients` (`name`);--> statement-breakpoint
CREATE TABLE `charge_group_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`charging_unit_type` text DEFAULT 'DURATION' NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `charge_group_categories_owner_name` ON `charge_group_categories` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `charge_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`charge_group_category_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text DEFAULT 'GENERAL' NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`charge_group_category_id`) REFERENCES `charge_group_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `charge_groups_category` ON `charge_groups` (`charge_group_category_id`);--> statement-breakpoint
CREATE INDEX `charge_groups_owner_name` ON `charge_groups` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `contract_owners` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`currency_code` text DEFAULT 'GBP' NOT NULL,
	`timezone` text DEFAULT 'Europe/London' NOT NULL,
	`available_from` text NOT NULL,
	`available_to` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contract_owners_name` ON `contract_owners` (`name`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_name` text NOT NULL,
	`customer_account_number` text,
	`customer_type` text DEFAULT 'BUSINESS' NOT NULL,
	`external_ref` text,
	`start_date` text,
	`end_date` text,
	`email` text,
	`language` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_owner_account` ON `customers` (`contract_owner_id`,`customer_account_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `customers_owner_external_ref` ON `customers` (`contract_owner_id`,`external_ref`);--> statement-breakpoint
CREATE INDEX `customers_owner_name` ON `customers` (`contract_owner_id`,`customer_name`);--> statement-breakpoint
CREATE INDEX `customers_start_date` ON `customers` (`start_date`);--> statement-breakpoint
CREATE INDEX `customers_end_date` ON `customers` (`end_date`);--> statement-breakpoint
CREATE TABLE `rental_product_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rental_product_categories_owner_name` ON `rental_product_categories` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `rental_product_inventories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer NOT NULL,
	`rental_product_id` integer NOT NULL,
	`quantity` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`label` text,
	`product_reference` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_id`) REFERENCES `rental_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rpis_customer` ON `rental_product_inventories` (`customer_id`);--> statement-breakpoint
CREATE INDEX `rpis_site` ON `rental_product_inventories` (`site_id`);--> statement-breakpoint
CREATE INDEX `rpis_product` ON `rental_product_inventories` (`rental_product_id`);--> statement-breakpoint
CREATE INDEX `rpis_end_date` ON `rental_product_inventories` (`end_date`);--> statement-breakpoint
CREATE TABLE `rental_products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`rental_product_category_id` integer NOT NULL,
	`name` text NOT NULL,
	`invoice_presentation_name` text,
	`product_type` text DEFAULT 'PRODUCT' NOT NULL,
	`available_from` text NOT NULL,
	`available_to` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_category_id`) REFERENCES `rental_product_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rental_products_category` ON `rental_products` (`rental_product_category_id`);--> statement-breakpoint
CREATE INDEX `rental_products_owner_name` ON `rental_products` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`site_name` text NOT NULL,
	`site_reference` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sites_customer` ON `sites` (`customer_id`);--> statement-breakpoint
CREATE INDEX `sites_owner_name` ON `sites` (`contract_owner_id`,`site_name`);--> statement-breakpoint
CREATE INDEX `sites_reference` ON `sites` (`site_reference`);--> statement-breakpoint
CREATE TABLE `usage_product_inventories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer NOT NULL,
	`usage_product_id` integer NOT NULL,
	`reference` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_id`) REFERENCES `usage_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `upis_customer` ON `usage_product_inventories` (`customer_id`);--> statement-breakpoint
CREATE INDEX `upis_site` ON `usage_product_inventories` (`site_id`);--> statement-breakpoint
CREATE INDEX `upis_product` ON `usage_product_inventories` (`usage_product_id`);--> statement-breakpoint
CREATE INDEX `upis_owner_reference` ON `usage_product_inventories` (`contract_owner_id`,`reference`);--> statement-breakpoint
CREATE TABLE `usage_products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`direction` text,
	`charging_unit` text DEFAULT 'SECOND' NOT NULL,
	`available_from` text NOT NULL,
	`available_to` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `usage_products_owner_name` ON `usage_products` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `contract_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`contract_term` integer NOT NULL,
	`early_termination_fixed_charge` integer NOT NULL,
	`early_termination_percentage_charge` integer NOT NULL,
	`rollover_contract_profile_id` integer,
	`renewal_alert_days` integer DEFAULT 28 NOT NULL,
	`notice_period_days` integer DEFAULT 30 NOT NULL,
	`superseded_by_contract_profile_id` integer,
	`version_number` integer DEFAULT 1 NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rollover_contract_profile_id`) REFERENCES `contract_profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`superseded_by_contract_profile_id`) REFERENCES `contract_profiles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contract_profiles_owner_name` ON `contract_profiles` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `contract_profiles_rollover` ON `contract_profiles` (`rollover_contract_profile_id`);--> statement-breakpoint
CREATE INDEX `contract_profiles_superseded` ON `contract_profiles` (`superseded_by_contract_profile_id`);--> statement-breakpoint
CREATE INDEX `contract_profiles_term` ON `contract_profiles` (`contract_term`);--> statement-breakpoint
CREATE TABLE `customer_contract_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`customer_contract_id` integer NOT NULL,
	`rental_product_inventory_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_inventory_id`) REFERENCES `rental_product_inventories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cca_contract` ON `customer_contract_assignments` (`customer_contract_id`,`active`);--> statement-breakpoint
CREATE INDEX `cca_rpi` ON `customer_contract_assignments` (`rental_product_inventory_id`);--> statement-breakpoint
CREATE INDEX `cca_customer` ON `customer_contract_assignments` (`customer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cca_one_active_per_rpi` ON `customer_contract_assignments` (`rental_product_inventory_id`) WHERE "customer_contract_assignments"."active" = 1;--> statement-breakpoint
CREATE TABLE `customer_contracts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer,
	`contract_profile_id` integer,
	`start_date` text NOT NULL,
	`end_date` text,
	`billing_start_date` text NOT NULL,
	`rollover_contract_profile_id` integer,
	`renewal_alert_days` integer NOT NULL,
	`notice_period_days` integer NOT NULL,
	`previous_customer_contract_id` integer,
	`renewed_customer_contract_id` integer,
	`anchor_date` text NOT NULL,
	`months_from_anchor` integer DEFAULT 0 NOT NULL,
	`term_end_date` text,
	`termination_date` text,
	`termination_type` text,
	`early_termination_charge` integer,
	`notice_date` text,
	`termination_reason` text,
	`contract_number` text,
	`value` integer,
	`notes` text,
	`email` text,
	`signed_date` text,
	`external_ref` text,
	`properties` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contract_profile_id`) REFERENCES `contract_profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rollover_contract_profile_id`) REFERENCES `contract_profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`previous_customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`renewed_customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_contracts_previous` ON `customer_contracts` (`previous_customer_contract_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `customer_contracts_owner_external_ref` ON `customer_contracts` (`contract_owner_id`,`external_ref`);--> statement-breakpoint
CREATE INDEX `customer_contracts_customer` ON `customer_contracts` (`customer_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `customer_contracts_site` ON `customer_contracts` (`site_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_profile` ON `customer_contracts` (`contract_profile_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_rollover` ON `customer_contracts` (`rollover_contract_profile_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_start` ON `customer_contracts` (`start_date`);--> statement-breakpoint
CREATE INDEX `customer_contracts_end` ON `customer_contracts` (`end_date`);--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_name` ON `customer_contracts` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `customer_contracts_current_end` ON `customer_contracts` (`end_date`) WHERE "customer_contracts"."renewed_customer_contract_id" IS NULL;--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_current_end` ON `customer_contracts` (`contract_owner_id`,`end_date`,`renewal_alert_days`,`termination_date`) WHERE "customer_contracts"."renewed_customer_contract_id" IS NULL;--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`caller` text NOT NULL,
	`key` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`body_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` integer,
	`response_body` text,
	`response_headers` text,
	PRIMARY KEY(`caller`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `outbox_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`type` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` integer NOT NULL,
	`data` text NOT NULL,
	`actor` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_events_owner_type` ON `outbox_events` (`contract_owner_id`,`type`);--> statement-breakpoint
CREATE INDEX `outbox_events_object` ON `outbox_events` (`object_type`,`object_id`);