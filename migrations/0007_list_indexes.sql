CREATE TABLE `list_generations` (
	`contract_owner_id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `customer_contracts_profile`;--> statement-breakpoint
DROP INDEX `customer_contracts_rollover`;--> statement-breakpoint
DROP INDEX `customer_contracts_start`;--> statement-breakpoint
DROP INDEX `customer_contracts_owner_name`;--> statement-breakpoint
DROP INDEX `customer_contracts_owner_current_end`;--> statement-breakpoint
ALTER TABLE `customer_contracts` ADD `notice_start_date` text GENERATED ALWAYS AS (date(end_date, '-' || notice_period_days || ' days')) VIRTUAL;--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_current` ON `customer_contracts` (`contract_owner_id`) WHERE "customer_contracts"."renewed_customer_contract_id" IS NULL;--> statement-breakpoint
CREATE INDEX `customer_contracts_profile` ON `customer_contracts` (`contract_profile_id`,`renewed_customer_contract_id`,`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_rollover` ON `customer_contracts` (`rollover_contract_profile_id`,`renewed_customer_contract_id`,`contract_owner_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_start` ON `customer_contracts` (`start_date`,`contract_owner_id`,`renewed_customer_contract_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_name` ON `customer_contracts` (`contract_owner_id`,`name`,`renewed_customer_contract_id`);--> statement-breakpoint
CREATE INDEX `customer_contracts_owner_current_end` ON `customer_contracts` (`contract_owner_id`,`end_date`,`id`,`renewal_alert_start_date`,`termination_date`,`notice_start_date`,`start_date`) WHERE "customer_contracts"."renewed_customer_contract_id" IS NULL;--> statement-breakpoint
-- Custom: the owners' list generations (db/crud.ts countCache), raised on every write of a table a contract count reads.
CREATE TRIGGER `customer_contracts_generation_insert` AFTER INSERT ON `customer_contracts` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (NEW.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `customer_contracts_generation_update` AFTER UPDATE ON `customer_contracts` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; INSERT INTO `list_generations` (`contract_owner_id`, `generation`) SELECT NEW.`contract_owner_id`, 1 WHERE NEW.`contract_owner_id` <> OLD.`contract_owner_id` ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `customer_contracts_generation_delete` AFTER DELETE ON `customer_contracts` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `customer_contract_assignments_generation_insert` AFTER INSERT ON `customer_contract_assignments` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (NEW.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `customer_contract_assignments_generation_update` AFTER UPDATE ON `customer_contract_assignments` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; INSERT INTO `list_generations` (`contract_owner_id`, `generation`) SELECT NEW.`contract_owner_id`, 1 WHERE NEW.`contract_owner_id` <> OLD.`contract_owner_id` ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `customer_contract_assignments_generation_delete` AFTER DELETE ON `customer_contract_assignments` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `rental_product_inventories_generation_insert` AFTER INSERT ON `rental_product_inventories` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (NEW.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `rental_product_inventories_generation_update` AFTER UPDATE ON `rental_product_inventories` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; INSERT INTO `list_generations` (`contract_owner_id`, `generation`) SELECT NEW.`contract_owner_id`, 1 WHERE NEW.`contract_owner_id` <> OLD.`contract_owner_id` ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `rental_product_inventories_generation_delete` AFTER DELETE ON `rental_product_inventories` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `contract_profiles_generation_insert` AFTER INSERT ON `contract_profiles` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (NEW.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `contract_profiles_generation_update` AFTER UPDATE ON `contract_profiles` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; INSERT INTO `list_generations` (`contract_owner_id`, `generation`) SELECT NEW.`contract_owner_id`, 1 WHERE NEW.`contract_owner_id` <> OLD.`contract_owner_id` ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `contract_profiles_generation_delete` AFTER DELETE ON `contract_profiles` BEGIN INSERT INTO `list_generations` (`contract_owner_id`, `generation`) VALUES (OLD.`contract_owner_id`, 1) ON CONFLICT (`contract_owner_id`) DO UPDATE SET `generation` = `generation` + 1; END;
