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
CREATE INDEX `customers_owner` ON `customers` (`contract_owner_id`);--> statement-breakpoint
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
CREATE INDEX `rpis_owner` ON `rental_product_inventories` (`contract_owner_id`);--> statement-breakpoint
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
CREATE INDEX `upis_owner` ON `usage_product_inventories` (`contract_owner_id`);--> statement-breakpoint
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
CREATE INDEX `cca_owner` ON `customer_contract_assignments` (`contract_owner_id`);--> statement-breakpoint
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
	`renewal_alert_start_date` text GENERATED ALWAYS AS (date(end_date, '-' || renewal_alert_days || ' days')) STORED,
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
	`settled` integer DEFAULT false NOT NULL,
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
CREATE UNIQUE INDEX `customer_contracts_owner_external_ref` ON `customer_contracts` (`contract_owner_id`,`external_ref`) WHERE "customer_contracts"."renewed_customer_contract_id" IS NULL;--> statement-breakpoint
CREATE INDEX `customer_contracts_owner` ON `customer_contracts` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_customer` ON `customer_contracts` (`customer_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `customer_contracts_site` ON `customer_contracts` (`site_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_profile` ON `customer_contracts` (`contract_profile_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_rollover` ON `customer_contracts` (`rollover_contract_profile_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_start` ON `customer_contracts` (`start_date`);--> statement-breakpoint
CREATE INDEX `customer_contracts_end` ON `customer_contracts` (`end_date`);--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_name` ON `customer_contracts` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `customer_contracts_unsettled_end` ON `customer_contracts` (`end_date`) WHERE "customer_contracts"."settled" = 0;--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_current_end` ON `customer_contracts` (`contract_owner_id`,`end_date`,`renewal_alert_start_date`,`termination_date`) WHERE "customer_contracts"."renewed_customer_contract_id" IS NULL;--> statement-breakpoint
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
CREATE INDEX `outbox_events_owner_id` ON `outbox_events` (`contract_owner_id`,`id`);--> statement-breakpoint
CREATE TABLE `contract_alerts` (
	`customer_contract_id` integer NOT NULL,
	`kind` text NOT NULL,
	`end_date` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`customer_contract_id`, `kind`, `end_date`),
	FOREIGN KEY (`customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`trigger` text NOT NULL,
	`owners` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`as_of` text,
	`renewed` integer DEFAULT 0 NOT NULL,
	`expired` integer DEFAULT 0 NOT NULL,
	`terminated` integer DEFAULT 0 NOT NULL,
	`alerts` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`outcome` text NOT NULL,
	`report` text,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_runs_started` ON `job_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_component_charge_group_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`component_id` integer NOT NULL,
	`charge_group_category_id` integer NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `inclusive_usage_components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`charge_group_category_id`) REFERENCES `charge_group_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iuc_categories_component` ON `inclusive_usage_component_charge_group_categories` (`component_id`,`charge_group_category_id`);--> statement-breakpoint
CREATE INDEX `iuc_categories_category` ON `inclusive_usage_component_charge_group_categories` (`charge_group_category_id`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_component_charge_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`component_id` integer NOT NULL,
	`charge_group_id` integer NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `inclusive_usage_components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`charge_group_id`) REFERENCES `charge_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iuc_charge_groups_component` ON `inclusive_usage_component_charge_groups` (`component_id`,`charge_group_id`);--> statement-breakpoint
CREATE INDEX `iuc_charge_groups_group` ON `inclusive_usage_component_charge_groups` (`charge_group_id`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_component_timebands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`component_id` integer NOT NULL,
	`timeband` text NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `inclusive_usage_components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iuc_timebands_component` ON `inclusive_usage_component_timebands` (`component_id`,`timeband`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_components` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inclusive_usage_plan_id` integer NOT NULL,
	`description` text,
	`component_type` text NOT NULL,
	`charging_type` text NOT NULL,
	`quantity` integer,
	`value` integer,
	FOREIGN KEY (`inclusive_usage_plan_id`) REFERENCES `inclusive_usage_plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inclusive_usage_components_plan` ON `inclusive_usage_components` (`inclusive_usage_plan_id`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_plan_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`assignment_level` text NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`usage_product_inventory_id` integer,
	`inclusive_usage_plan_id` integer NOT NULL,
	`usage_product_id` integer NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_inventory_id`) REFERENCES `usage_product_inventories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inclusive_usage_plan_id`) REFERENCES `inclusive_usage_plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_id`) REFERENCES `usage_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `iupa_owner` ON `inclusive_usage_plan_assignments` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `iupa_customer_start` ON `inclusive_usage_plan_assignments` (`customer_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `iupa_site` ON `inclusive_usage_plan_assignments` (`site_id`);--> statement-breakpoint
CREATE INDEX `iupa_inventory` ON `inclusive_usage_plan_assignments` (`usage_product_inventory_id`);--> statement-breakpoint
CREATE INDEX `iupa_plan` ON `inclusive_usage_plan_assignments` (`inclusive_usage_plan_id`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_plan_bolt_on_charges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`price` integer NOT NULL,
	`rental_rate_type` text NOT NULL,
	`periods_in_advance` text,
	`rental_rate_frequency` text NOT NULL,
	`show_on_invoice` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`inclusive_usage_plan_id` integer NOT NULL,
	FOREIGN KEY (`inclusive_usage_plan_id`) REFERENCES `inclusive_usage_plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `iup_bolt_on_charges_plan` ON `inclusive_usage_plan_bolt_on_charges` (`inclusive_usage_plan_id`,`start_date`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`usage_product_id` integer NOT NULL,
	`available_from` text NOT NULL,
	`available_to` text,
	`bolt_on` integer NOT NULL,
	`tax_band_id` integer,
	`nominal_code` text,
	`rollover_periods` integer,
	`trigger_charge_id` integer,
	`supplier_account_id` integer,
	`frequency` text NOT NULL,
	`min_qualifying_quantity` integer,
	`max_per_event_quantity` integer,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_id`) REFERENCES `usage_products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trigger_charge_id`) REFERENCES `rental_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inclusive_usage_plans_owner_name` ON `inclusive_usage_plans` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `inclusive_usage_plans_product` ON `inclusive_usage_plans` (`usage_product_id`);--> statement-breakpoint
CREATE TABLE `rental_discount_plan_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`assignment_level` text NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`rental_product_inventory_id` integer,
	`rental_discount_plan_id` integer NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_inventory_id`) REFERENCES `rental_product_inventories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_discount_plan_id`) REFERENCES `rental_discount_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rdpa_owner` ON `rental_discount_plan_assignments` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `rdpa_customer_start` ON `rental_discount_plan_assignments` (`customer_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rdpa_site` ON `rental_discount_plan_assignments` (`site_id`);--> statement-breakpoint
CREATE INDEX `rdpa_inventory` ON `rental_discount_plan_assignments` (`rental_product_inventory_id`);--> statement-breakpoint
CREATE INDEX `rdpa_plan` ON `rental_discount_plan_assignments` (`rental_discount_plan_id`);--> statement-breakpoint
CREATE TABLE `rental_discount_plan_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`rental_discount_plan_id` integer NOT NULL,
	`product_category_id` integer NOT NULL,
	`rental_product_id` integer,
	`discount_percentage` integer NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_discount_plan_id`) REFERENCES `rental_discount_plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_category_id`) REFERENCES `rental_product_categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_id`) REFERENCES `rental_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rental_discount_plan_rules_product_rule` ON `rental_discount_plan_rules` (`rental_discount_plan_id`,`product_category_id`,`rental_product_id`) WHERE "rental_discount_plan_rules"."rental_product_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `rental_discount_plan_rules_category_rule` ON `rental_discount_plan_rules` (`rental_discount_plan_id`,`product_category_id`) WHERE "rental_discount_plan_rules"."rental_product_id" IS NULL;--> statement-breakpoint
CREATE INDEX `rental_discount_plan_rules_owner` ON `rental_discount_plan_rules` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `rental_discount_plan_rules_category` ON `rental_discount_plan_rules` (`product_category_id`);--> statement-breakpoint
CREATE INDEX `rental_discount_plan_rules_product` ON `rental_discount_plan_rules` (`rental_product_id`);--> statement-breakpoint
CREATE TABLE `rental_discount_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`code` text,
	`duration_in_months` integer NOT NULL,
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
CREATE UNIQUE INDEX `rental_discount_plans_owner_name` ON `rental_discount_plans` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `rental_discount_plans_owner_code` ON `rental_discount_plans` (`contract_owner_id`,`code`);--> statement-breakpoint
CREATE TABLE `rental_rate_card_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`assignment_level` text NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`rental_product_inventory_id` integer,
	`rental_rate_card_id` integer NOT NULL,
	`rental_product_category_id` integer NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_inventory_id`) REFERENCES `rental_product_inventories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_rate_card_id`) REFERENCES `rental_rate_cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_category_id`) REFERENCES `rental_product_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rrca_owner` ON `rental_rate_card_assignments` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `rrca_customer_start` ON `rental_rate_card_assignments` (`customer_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rrca_site` ON `rental_rate_card_assignments` (`site_id`);--> statement-breakpoint
CREATE INDEX `rrca_inventory` ON `rental_rate_card_assignments` (`rental_product_inventory_id`);--> statement-breakpoint
CREATE INDEX `rrca_card` ON `rental_rate_card_assignments` (`rental_rate_card_id`);--> statement-breakpoint
CREATE TABLE `rental_rate_card_owners` (
	`rental_rate_card_id` integer NOT NULL,
	`contract_owner_id` integer NOT NULL,
	PRIMARY KEY(`rental_rate_card_id`, `contract_owner_id`),
	FOREIGN KEY (`rental_rate_card_id`) REFERENCES `rental_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rental_rate_card_owners_owner` ON `rental_rate_card_owners` (`contract_owner_id`,`rental_rate_card_id`);--> statement-breakpoint
CREATE TABLE `rental_rate_cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`rental_rate_card_type` text NOT NULL,
	`based_on_template_id` integer,
	`rental_product_category_id` integer NOT NULL,
	`available_from` text NOT NULL,
	`available_to` text,
	`accept_overrides_from_parents` integer NOT NULL,
	`supplier_account_id` integer,
	`currency_code` text NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`based_on_template_id`) REFERENCES `rental_rate_cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_category_id`) REFERENCES `rental_product_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rental_rate_cards_category` ON `rental_rate_cards` (`rental_product_category_id`);--> statement-breakpoint
CREATE INDEX `rental_rate_cards_template` ON `rental_rate_cards` (`based_on_template_id`);--> statement-breakpoint
CREATE INDEX `rental_rate_cards_name` ON `rental_rate_cards` (`name`);--> statement-breakpoint
CREATE TABLE `rental_rates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rental_rate_card_id` integer NOT NULL,
	`rental_product_id` integer NOT NULL,
	`price` integer NOT NULL,
	`rental_rate_price_type` text NOT NULL,
	`rental_rate_type` text,
	`periods_in_advance` text,
	`rental_rate_frequency` text,
	`show_on_invoice` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`rental_rate_card_id`) REFERENCES `rental_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rental_product_id`) REFERENCES `rental_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rental_rates_card_product_start` ON `rental_rates` (`rental_rate_card_id`,`rental_product_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rental_rates_product` ON `rental_rates` (`rental_product_id`);--> statement-breakpoint
CREATE TABLE `time_band_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`bands` text NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `time_band_plans_owner_name` ON `time_band_plans` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `usage_rate_card_access_charges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`usage_rate_card_id` integer NOT NULL,
	`charge` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	FOREIGN KEY (`usage_rate_card_id`) REFERENCES `usage_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `urc_access_charges_card` ON `usage_rate_card_access_charges` (`usage_rate_card_id`,`start_date`);--> statement-breakpoint
CREATE TABLE `usage_rate_card_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`assignment_level` text NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`usage_product_inventory_id` integer,
	`usage_rate_card_id` integer NOT NULL,
	`usage_product_id` integer NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_inventory_id`) REFERENCES `usage_product_inventories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_rate_card_id`) REFERENCES `usage_rate_cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_id`) REFERENCES `usage_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `urca_owner` ON `usage_rate_card_assignments` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `urca_customer_start` ON `usage_rate_card_assignments` (`customer_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `urca_site` ON `usage_rate_card_assignments` (`site_id`);--> statement-breakpoint
CREATE INDEX `urca_inventory` ON `usage_rate_card_assignments` (`usage_product_inventory_id`);--> statement-breakpoint
CREATE INDEX `urca_card` ON `usage_rate_card_assignments` (`usage_rate_card_id`);--> statement-breakpoint
CREATE TABLE `usage_rate_card_bolt_on_charges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`price` integer NOT NULL,
	`rental_rate_type` text NOT NULL,
	`periods_in_advance` text,
	`rental_rate_frequency` text NOT NULL,
	`show_on_invoice` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`usage_rate_card_id` integer NOT NULL,
	FOREIGN KEY (`usage_rate_card_id`) REFERENCES `usage_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `urc_bolt_on_charges_card` ON `usage_rate_card_bolt_on_charges` (`usage_rate_card_id`,`start_date`);--> statement-breakpoint
CREATE TABLE `usage_rate_card_owners` (
	`usage_rate_card_id` integer NOT NULL,
	`contract_owner_id` integer NOT NULL,
	PRIMARY KEY(`usage_rate_card_id`, `contract_owner_id`),
	FOREIGN KEY (`usage_rate_card_id`) REFERENCES `usage_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `usage_rate_card_owners_owner` ON `usage_rate_card_owners` (`contract_owner_id`,`usage_rate_card_id`);--> statement-breakpoint
CREATE TABLE `usage_rate_card_time_band_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`usage_rate_card_id` integer NOT NULL,
	`time_band_plan_id` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	FOREIGN KEY (`usage_rate_card_id`) REFERENCES `usage_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`time_band_plan_id`) REFERENCES `time_band_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `urc_time_band_plans_card` ON `usage_rate_card_time_band_plans` (`usage_rate_card_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `urc_time_band_plans_plan` ON `usage_rate_card_time_band_plans` (`time_band_plan_id`);--> statement-breakpoint
CREATE TABLE `usage_rate_cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`rate_card_type` text NOT NULL,
	`available_from` text NOT NULL,
	`available_to` text,
	`usage_product_id` integer NOT NULL,
	`supplier_id` integer,
	`decimal_places` integer NOT NULL,
	`price_rounding_style` text NOT NULL,
	`default_min_charge` integer NOT NULL,
	`round_access_charge_first_minute` integer NOT NULL,
	`bolt_on` integer NOT NULL,
	`bolt_on_tax_band_id` integer,
	`nominal_code` text,
	`apply_cross_time_band_charging` integer NOT NULL,
	`default_quantity_rounding_increment` integer NOT NULL,
	`default_variable_charge_unit_size` integer NOT NULL,
	`currency_code` text NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`usage_product_id`) REFERENCES `usage_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `usage_rate_cards_product` ON `usage_rate_cards` (`usage_product_id`);--> statement-breakpoint
CREATE INDEX `usage_rate_cards_name` ON `usage_rate_cards` (`name`);--> statement-breakpoint
CREATE INDEX `usage_rate_cards_type` ON `usage_rate_cards` (`rate_card_type`);--> statement-breakpoint
CREATE TABLE `usage_rates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`usage_rate_card_id` integer NOT NULL,
	`charge_group_id` integer NOT NULL,
	`usage_rate_type` text NOT NULL,
	`peak_initial_charge` integer,
	`peak_initial_period` integer NOT NULL,
	`peak_value` integer NOT NULL,
	`peak_minimum` integer,
	`off_peak_initial_charge` integer,
	`off_peak_initial_period` integer,
	`off_peak_value` integer,
	`off_peak_minimum` integer,
	`weekend_initial_charge` integer,
	`weekend_initial_period` integer,
	`weekend_value` integer,
	`weekend_minimum` integer,
	`surcharge_initial_charge` integer,
	`surcharge_initial_period` integer,
	`surcharge_value` integer,
	`surcharge_minimum` integer,
	`quantity_rounding_increment` integer,
	`variable_charge_unit_size` integer,
	`start_date` text NOT NULL,
	`end_date` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`usage_rate_card_id`) REFERENCES `usage_rate_cards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`charge_group_id`) REFERENCES `charge_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `usage_rates_card_group_start` ON `usage_rates` (`usage_rate_card_id`,`charge_group_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `usage_rates_charge_group` ON `usage_rates` (`charge_group_id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`subscription_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`event_type` text NOT NULL,
	`status` text NOT NULL,
	`attempt_count` integer NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`last_attempt_at` text,
	`next_attempt_at` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	FOREIGN KEY (`subscription_id`) REFERENCES `webhook_subscriptions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_subscription_event` ON `webhook_deliveries` (`subscription_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_subscription_status` ON `webhook_deliveries` (`subscription_id`,`status`,`event_id`);--> statement-breakpoint
CREATE TABLE `webhook_delivery_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`attempt_number` integer NOT NULL,
	`trigger` text NOT NULL,
	`attempted_at` text NOT NULL,
	`status_code` integer,
	`error` text,
	`response_body` text,
	`duration_ms` integer NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_delivery_attempts_delivery` ON `webhook_delivery_attempts` (`delivery_id`,`attempt_number`);--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`url` text NOT NULL,
	`event_types` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`description` text,
	`secret` text NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`lease_token` text,
	`lease_expires_at` integer,
	`rerun_requested` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_owner` ON `webhook_subscriptions` (`contract_owner_id`,`active`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_buckets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`assignment_id` integer NOT NULL,
	`component_id` integer NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`usable_until` text NOT NULL,
	`allowance` integer NOT NULL,
	`used` integer NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignment_id`) REFERENCES `inclusive_usage_plan_assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `inclusive_usage_components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inclusive_usage_buckets_key` ON `inclusive_usage_buckets` (`assignment_id`,`component_id`,`period_start`);--> statement-breakpoint
CREATE INDEX `inclusive_usage_buckets_component` ON `inclusive_usage_buckets` (`component_id`);--> statement-breakpoint
CREATE TABLE `inclusive_usage_exhaustions` (
	`assignment_id` integer NOT NULL,
	`component_id` integer NOT NULL,
	`period_start` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`assignment_id`, `component_id`, `period_start`),
	FOREIGN KEY (`assignment_id`) REFERENCES `inclusive_usage_plan_assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `inclusive_usage_components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inclusive_usage_exhaustions_component` ON `inclusive_usage_exhaustions` (`component_id`);--> statement-breakpoint
CREATE TABLE `usage_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`site_id` integer NOT NULL,
	`usage_product_inventory_id` integer NOT NULL,
	`reference` text NOT NULL,
	`charge_group_id` integer NOT NULL,
	`start_time` text NOT NULL,
	`received_quantity` integer NOT NULL,
	`cost` integer,
	`status` text NOT NULL,
	`reason` text,
	`usage_rate_card_id` integer,
	`usage_rate_id` integer,
	`timeband` text NOT NULL,
	`quantity` integer NOT NULL,
	`chargeable_quantity` integer,
	`inclusive_quantity` integer,
	`inclusive_value` integer,
	`charge` integer,
	`currency_code` text NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`usage_product_inventory_id`) REFERENCES `usage_product_inventories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`charge_group_id`) REFERENCES `charge_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_records_inventory_reference` ON `usage_records` (`usage_product_inventory_id`,`reference`);--> statement-breakpoint
CREATE INDEX `usage_records_owner` ON `usage_records` (`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `usage_records_customer` ON `usage_records` (`customer_id`);--> statement-breakpoint
CREATE INDEX `usage_records_site` ON `usage_records` (`site_id`);--> statement-breakpoint
CREATE INDEX `usage_records_owner_start` ON `usage_records` (`contract_owner_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `usage_records_owner_status` ON `usage_records` (`contract_owner_id`,`status`);