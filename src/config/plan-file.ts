// The default plan file's name on its own, so that a command that only names the file (task next on an
// unchanged plan) does not load the plan parser and schema with it.

/** The plan file `shipgate plan …` and `shipgate task …` read when --plan is not given. */
export const PLAN_FILE = "shipgate.plan.yaml";
