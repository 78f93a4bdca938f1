//! Reading files for the engine: with a cap on the bytes actually read (not on what the file's
//! metadata claims: `/dev/zero` says 0 bytes and never ends), and as UTF-8 text.

use backprop_engine::host::Host;
use backprop_engine::syntax::MAX_INPUT_BYTES;
use std::io::Read;

/// Files and standard input, with nothing else: what tests and scripts need.
pub struct FileSystem;

impl Host for FileSystem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path == "-" {
            return read_capped(std::io::stdin().lock());
        }
        let file = std::fs::File::open(path).map_err(|e| io_message(&e))?;
        read_capped(file)
    }

    fn list(&self, folder: &str) -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(folder).map_err(|e| io_message(&e))? {
            let entry = entry.map_err(|e| io_message(&e))?;
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }
}

/// Why a file cannot be read, in the words every face uses (the browser's page says "no such
/// file" too, where the OS would add "(os error 2)").
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads at most `MAX_INPUT_BYTES` and one more byte (counting what is actually read, not what
/// the file's metadata claims: `/dev/zero` says 0 bytes and never ends); the engine says
/// "too large" when it sees the extra byte.
pub fn read_capped(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    Ok(bytes)
}
