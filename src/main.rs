//! The `kenkomap` command line: parse the arguments, call the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kenkomap::commands::{self, BuildArgs, CheckArgs, SchemaTarget};
use kenkomap::diagnostics::Format;

/// kenkomap compiles YAML registries of health resources (facilities, parks, healthy-menu
/// restaurants, consultation bodies) into a public map site per 二次医療圏.
#[derive(Parser)]
#[command(
    name = "kenkomap",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("KENKOMAP_COMMIT"), ")"),
    about,
    long_about = None
)]
struct Cli {
    /// The site directory (with site.yaml, data/, content/).
    #[arg(long, global = true, default_value = ".")]
    site: PathBuf,
    /// Pin "today" (YYYY-MM-DD, Japan time) for date rules and the build date: for tests and
    /// reproducible builds.
    #[arg(long, global = true, env = "KENKOMAP_TODAY")]
    today: Option<jiff::civil::Date>,
    /// Print the time each pipeline phase took.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site: pages, maps, open data exports (into public/ by default).
    Build {
        /// Output directory (default: public/ in the site); replaced only when the whole build
        /// succeeds.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing output directory that kenkomap did not write (one without its
        /// `.kenkomap-output` marker). The site, its sources, the home directory and `/` are
        /// refused even so.
        #[arg(long)]
        force: bool,
        /// The site's published address (for the sitemap, the feed and the print sheets' QR
        /// codes) when site.yaml gives no `base_url`; the publish workflow passes GitHub Pages'.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build the site in memory and serve it on 127.0.0.1; rebuild when a file changes and
    /// reload the browser. Build errors show in the terminal and at the top of every page.
    Serve {
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Validate the site (config, registries, areas, boundaries) and write nothing.
    Check {
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with 1 when there are warnings, too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Convert existing data into registry YAML: boundaries + membership into areas,
    /// 自治体標準オープンデータセット CSV, 医療情報ネット (MHLW) CSV. Refuses to overwrite without --force.
    #[command(subcommand)]
    Import(Box<kenkomap::import::ImportCommand>),
    /// Start a new site in DIR: site.yaml, one example record per kind, a README and GitHub
    /// Actions workflows (check pull requests, publish main); with --prefecture, that
    /// prefecture's 二次医療圏, municipalities and boundaries, ready to publish.
    Init {
        /// The new site's directory (must not exist or be empty).
        dir: PathBuf,
        /// The prefecture: code (`36`), name (`徳島県`, `徳島`) or English name (`Tokushima`).
        /// Its areas and boundaries come from 国土数値情報 (N03-21, A38-20) built into
        /// kenkomap; without it the site has a placeholder prefecture.
        #[arg(long, value_name = "CODE|NAME")]
        prefecture: Option<String>,
    },
    /// Print the JSON Schema (2020-12) of the registry files, for editors' YAML language servers.
    Schema {
        /// One file type; without it, one document with all of them in `$defs`.
        #[arg(value_enum)]
        target: Option<SchemaTarget>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let today = cli.today.unwrap_or_else(kenkomap::site::today_in_japan);
    match cli.command {
        Command::Build {
            out,
            force,
            base_url,
            format,
        } => {
            let out = out.unwrap_or_else(|| cli.site.join("public"));
            commands::build(BuildArgs {
                site: &cli.site,
                out: &out,
                force,
                base_url: base_url.as_deref(),
                today,
                verbose: cli.verbose,
                format,
            })
        }
        Command::Check {
            format,
            deny_warnings,
        } => commands::check(CheckArgs {
            site: &cli.site,
            format,
            deny_warnings,
            today,
            verbose: cli.verbose,
        }),
        Command::Serve { port } => commands::serve(kenkomap::serve::ServeArgs {
            site: cli.site.clone(),
            port,
            today,
        }),
        Command::Import(cmd) => commands::import(&cmd, &cli.site),
        Command::Init { dir, prefecture } => commands::init(&dir, prefecture.as_deref()),
        Command::Schema { target } => commands::schema(target, &cli.site),
    }
}
