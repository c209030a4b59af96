//! `ipadic-dict <metadata.json> <mecab-ipadic source dir, UTF-8> <cache dir> <lindera-ipadic version>`
//!
//! lindera-ipadic's build script downloads its IPADIC archive unless
//! `LINDERA_BUILD_DICTIONARY_CACHE_DIR/<version>-fmt<format>/lindera-ipadic` already holds a
//! dictionary whose `metadata.json` matches the crate's. This writes that directory from the
//! same MeCab sources (Debian's mecab-ipadic, converted to UTF-8), with lindera's own builder,
//! so that the build never needs the network.
use std::path::PathBuf;
use std::process::ExitCode;

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::{DICTIONARY_FORMAT_VERSION, Metadata};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [metadata, source, cache, version] = args.as_slice() else {
        eprintln!("usage: ipadic-dict <metadata.json> <source dir> <cache dir> <lindera-ipadic version>");
        return ExitCode::from(2);
    };
    match build(metadata.into(), source.into(), cache.into(), version) {
        Ok(out) => {
            println!("{}", out.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("ipadic-dict: {err}");
            ExitCode::FAILURE
        }
    }
}

fn build(
    metadata: PathBuf,
    source: PathBuf,
    cache: PathBuf,
    version: &str,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let metadata: Metadata = serde_json::from_str(&std::fs::read_to_string(metadata)?)?;
    let dir = cache.join(format!("{version}-fmt{DICTIONARY_FORMAT_VERSION}"));
    let out = dir.join("lindera-ipadic");
    // Built beside and renamed into place, so that an interrupted run never leaves a
    // half-written dictionary where lindera-ipadic's build would take it.
    let staging = dir.join("tmp-output-lindera-ipadic");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&dir)?;
    DictionaryBuilder::new(metadata).build_dictionary(&source, &staging)?;
    let _ = std::fs::remove_dir_all(&out);
    std::fs::rename(&staging, &out)?;
    Ok(out)
}
