ALTER TABLE `contract_profiles` ADD `contract_term_unit` text;--> statement-breakpoint
ALTER TABLE `contract_profiles` ADD `notice_period_unit` text;