CREATE TABLE `asset_type_service_levels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`asset_type_id` integer NOT NULL,
	`service_level_id` integer NOT NULL,
	`display_order` integer DEFAULT 0 NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`asset_type_id`) REFERENCES `asset_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_level_id`) REFERENCES `service_levels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `asset_type_service_levels_pair` ON `asset_type_service_levels` (`asset_type_id`,`service_level_id`);--> statement-breakpoint
CREATE INDEX `asset_type_service_levels_level` ON `asset_type_service_levels` (`service_level_id`);--> statement-breakpoint
CREATE TABLE `asset_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`reference_section` text,
	`reference_standard` text,
	`description` text,
	`archived` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `asset_types_owner_name` ON `asset_types` (`contract_owner_id`,`name`);--> statement-breakpoint
CREATE TABLE `contract_custom_field_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_contract_id` integer NOT NULL,
	`custom_field_id` integer NOT NULL,
	`value` text,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`custom_field_id`) REFERENCES `contract_custom_fields`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_custom_field_values_contract_field` ON `contract_custom_field_values` (`customer_contract_id`,`custom_field_id`);--> statement-breakpoint
CREATE INDEX `contract_custom_field_values_field` ON `contract_custom_field_values` (`custom_field_id`);--> statement-breakpoint
CREATE TABLE `contract_custom_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`list_items` text,
	`is_mandatory` integer DEFAULT false NOT NULL,
	`display_order` integer DEFAULT 0 NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contract_custom_fields_owner_order` ON `contract_custom_fields` (`contract_owner_id`,`display_order`);--> statement-breakpoint
CREATE TABLE `contract_profile_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`contract_profile_id` integer NOT NULL,
	`option_ident` text NOT NULL,
	`rental_product_id` integer NOT NULL,
	`name` text,
	`display_order` integer DEFAULT 0 NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contract_profile_id`) REFERENCES `contract_profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rental_product_id`) REFERENCES `rental_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_profile_options_profile_ident` ON `contract_profile_options` (`contract_profile_id`,`option_ident`);--> statement-breakpoint
CREATE INDEX `contract_profile_options_product` ON `contract_profile_options` (`rental_product_id`);--> statement-breakpoint
CREATE TABLE `contract_service_level_prices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`customer_contract_id` integer NOT NULL,
	`service_level_id` integer NOT NULL,
	`asset_type_id` integer NOT NULL,
	`charge_rate` integer,
	`estimated_time` integer,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_contract_id`) REFERENCES `customer_contracts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_level_id`) REFERENCES `service_levels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`asset_type_id`) REFERENCES `asset_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_service_level_prices_triple` ON `contract_service_level_prices` (`customer_contract_id`,`service_level_id`,`asset_type_id`);--> statement-breakpoint
CREATE INDEX `contract_service_level_prices_level` ON `contract_service_level_prices` (`service_level_id`);--> statement-breakpoint
CREATE INDEX `contract_service_level_prices_asset_type` ON `contract_service_level_prices` (`asset_type_id`);--> statement-breakpoint
CREATE TABLE `pricing_tiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`default_markup` integer DEFAULT 0 NOT NULL,
	`price_based` text,
	`tier_type` text,
	`scaled_tier_pricing` integer DEFAULT false NOT NULL,
	`display_order` integer DEFAULT 0 NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pricing_tiers_owner_order` ON `pricing_tiers` (`contract_owner_id`,`display_order`);--> statement-breakpoint
CREATE TABLE `service_fees` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`price` integer DEFAULT 0 NOT NULL,
	`labor_time` integer DEFAULT 0 NOT NULL,
	`display_order` integer DEFAULT 0 NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_fees_owner_order` ON `service_fees` (`contract_owner_id`,`display_order`);--> statement-breakpoint
CREATE TABLE `service_levels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`years` integer NOT NULL,
	`months` integer NOT NULL,
	`days` integer NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_date` text NOT NULL,
	`updated_date` text NOT NULL,
	`created_by` text,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`contract_owner_id`) REFERENCES `contract_owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_levels_owner_name` ON `service_levels` (`contract_owner_id`,`name`);--> statement-breakpoint
ALTER TABLE `rental_product_inventories` ADD `plan_option_id` integer;--> statement-breakpoint
CREATE INDEX `rpis_plan_option` ON `rental_product_inventories` (`plan_option_id`);--> statement-breakpoint
ALTER TABLE `contract_profiles` ADD `external_ref` text;--> statement-breakpoint
ALTER TABLE `contract_profiles` ADD `properties` text;--> statement-breakpoint
CREATE UNIQUE INDEX `contract_profiles_owner_external_ref` ON `contract_profiles` (`contract_owner_id`,`external_ref`) WHERE "contract_profiles"."superseded_by_contract_profile_id" IS NULL;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `signed_at` text;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `language` text;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `coupon_code` text;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `line_items` text;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `pricing_tier_id` integer;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `markup` integer;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `service_fee_id` integer;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `expired` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `customer_contracts_pricing_tier` ON `customer_contracts` (`pricing_tier_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_service_fee` ON `customer_contracts` (`service_fee_id`);