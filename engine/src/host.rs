//! What a command needs from the world, and nothing more: the text of the files it names,
//! a clock for the wall time of training epochs, and somewhere to report progress. The
//! terminal reads the filesystem; the book reads only below its own folder; the browser
//! reads what the page hands it. The engine itself never touches any of them.

/// Progress of a training run, after each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// 1-based epoch.
    pub epoch: usize,
    pub epochs: usize,
    /// Samples done in this epoch, and per epoch.
    pub done: usize,
    pub per_epoch: usize,
}

pub trait Host {
    /// The bytes of the file at `path` (already joined to the folder of the file that names
    /// it), at most `syntax::MAX_INPUT_BYTES` and one more (so that a larger file is known to
    /// be too large without being read whole). The message of an `Err` says why it cannot be
    /// read. The engine decodes the bytes (`syntax::read_text`), so an invalid byte is
    /// reported at its line and column whatever the host.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;

    /// Seconds since some fixed moment, for the wall time of epochs; `None` where no clock is
    /// wanted (the book, whose bytes must not change from build to build).
    fn seconds(&self) -> Option<f64> {
        None
    }

    /// Called after every training step.
    fn progress(&self, _progress: Progress) {}

    /// The language to speak when a command has no `--lang`: the terminal's environment, the
    /// page's language; English where neither says (the book's English edition).
    fn language(&self) -> crate::lang::Lang {
        crate::lang::Lang::En
    }

    /// The names of the files in a folder (`check --class`), sorted; only the terminal has
    /// folders to list.
    fn list(&self, folder: &str) -> Result<Vec<String>, String> {
        Err(format!("a folder cannot be listed here (`{folder}`)"))
    }
}

/// A host with no files and no clock: for commands that read nothing.
pub struct NoFiles;

impl Host for NoFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!("no file can be read here (`{path}`)"))
    }
}
