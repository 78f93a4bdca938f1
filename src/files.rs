//! Reading files for the engine: with a cap on the bytes actually read (not on what the file's
//! metadata claims: `/dev/zero` says 0 bytes and never ends), and as UTF-8 text. And the one
//! gate for reading inside a folder (the book, the served site): only regular files, checked
//! on the real path of what was opened.

use backprop_engine::host::Host;
use backprop_engine::syntax::MAX_INPUT_BYTES;
use std::fs::File;
use std::io::Read;
use std::path::Path;

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

/// Why a file inside a folder was not opened.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Its real path is outside the folder (a link, `..`, an absolute path).
    Outside,
    /// It is not there, not a regular file (a FIFO, a socket, a device, a folder), or not readable.
    Unreadable(String),
}

/// Opens `path` for reading only if it is a regular file inside `root` (a real path: no
/// links in it). The check is made on what was opened, not before: the file's real path now
/// must be inside `root` and name the very file that is open (same device and inode), so a
/// link flipped between a check and the open cannot lead outside. A FIFO, socket or device is
/// refused before it is opened (opening a FIFO waits for a writer), and opened without
/// waiting in case one is swapped in after that look.
pub fn open_inside(root: &Path, path: &Path) -> Result<File, Refused> {
    let unreadable = |e: std::io::Error| Refused::Unreadable(io_message(&e));
    let not_regular =
        |meta: &std::fs::Metadata| Refused::Unreadable(format!("it is {}, not a regular file", kind(meta)));
    let looked = std::fs::metadata(path).map_err(unreadable)?;
    if !looked.is_file() {
        return Err(not_regular(&looked));
    }
    let file = open_without_waiting(path).map_err(unreadable)?;
    let opened = file.metadata().map_err(unreadable)?;
    if !opened.is_file() {
        return Err(not_regular(&opened));
    }
    let real = path.canonicalize().map_err(|_| Refused::Outside)?;
    if !real.starts_with(root) || !same_file(&opened, &real) {
        return Err(Refused::Outside);
    }
    Ok(file)
}

/// [`open_inside`], read to the end (capped as every input is).
pub fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
    read_capped(open_inside(root, path)?).map_err(Refused::Unreadable)
}

#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Whether the file at `real` (now) is the one that was opened.
#[cfg(unix)]
fn same_file(opened: &std::fs::Metadata, real: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(real).is_ok_and(|now| now.dev() == opened.dev() && now.ino() == opened.ino())
}

#[cfg(not(unix))]
fn same_file(_opened: &std::fs::Metadata, real: &Path) -> bool {
    real.is_file()
}

/// What a file that is not a regular file is, in words.
pub fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() { "a folder" } else { "not a regular file" }
}
