/** `kpibot help` text. Commands from later features add their lines here as they land. */
export const USAGE = `kpibot — LinkStar KPI Bot command line

Usage:
  kpibot migrate
  kpibot workspace list
  kpibot workspace create <id> [--name N] [--timezone TZ] [--currency CCY] [--locale zh-CN|en]
  kpibot workspace bind <id> --platform slack|feishu|dingtalk --tenant T
  kpibot workspace set <id> timezone|currency|locale <value>
  kpibot workspace delete <id> --yes
  kpibot token create --workspace W --role admin|manager|operator|finance [--team T] [--user U] [--name N]
  kpibot token list [--workspace W]
  kpibot token revoke <id>
  kpibot seed-demo [--anchor YYYY-MM-DD] [--seed N]
  kpibot demo purge --yes
  kpibot import <file> --dataset <id> [--dry-run] [--store S] [--on-error skip|abort] [--date-order mdy|dmy]
        [--encoding E] [--profile P] [--map col=Header;…] [--set col=value;…] [--save-mapping NAME] [--force] [--report F]
  kpibot import --all <dir> [--workspace W]
  kpibot export <dataset> [--format csv|xlsx] [--from YYYY-MM-DD --to YYYY-MM-DD | --month YYYY-MM] [--out F]
  kpibot export --all <dir> [--workspace W]
  kpibot digest --chat <id> [--platform P] [--dry-run] [--workspace W]
  kpibot connectors list | test <id> | run <id> [--store S] [--from YYYY-MM-DD --to YYYY-MM-DD] [--workspace W]

Options: --json prints machine-readable output. Configuration comes from the same environment
variables as the server (README "Configuration"). On the embedded database (no DATABASE_URL),
commands refuse while a server is running on the same DATA_DIR.`;

/** A mistake in how the command was called: printed with a hint, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
