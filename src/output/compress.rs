//! Gzip for large output files (`waico run --compress`): written deterministically (no
//! time stamp, no file name in the header, so the same run gives the same bytes), read
//! back transparently by every command that reads a folder.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// A gzip stream into memory, with no time stamp or name in its header.
pub fn encoder() -> GzEncoder<Vec<u8>> {
    GzEncoder::new(Vec::new(), Compression::default())
}

/// The bytes of `data` as a gzip file.
pub fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = encoder();
    encoder.write_all(data)?;
    encoder.finish()
}

/// `path`, or `path.gz` when only the compressed file exists.
pub fn existing(path: &Path) -> PathBuf {
    let gz = gz_path(path);
    if !path.exists() && gz.exists() {
        gz
    } else {
        path.to_path_buf()
    }
}

/// `path` with `.gz` appended.
pub fn gz_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    PathBuf::from(name)
}

/// A buffered reader of `path`, or of `path.gz` (decompressing) when only that exists.
pub fn open(path: &Path) -> std::io::Result<Box<dyn Read>> {
    let file = existing(path);
    let reader = std::io::BufReader::new(std::fs::File::open(&file)?);
    if file.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(std::io::BufReader::new(GzDecoder::new(reader))))
    } else {
        Ok(Box::new(reader))
    }
}

/// The text of `path`, or of `path.gz` (decompressed) when only that exists.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let file = existing(path);
    let bytes = std::fs::read(&file)?;
    if file.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        GzDecoder::new(bytes.as_slice()).read_to_string(&mut text)?;
        Ok(text)
    } else {
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_deterministic_and_reads_back() {
        let data = b"tick,date\n0,2025-07-26\n".repeat(100);
        let a = gzip(&data).unwrap();
        assert_eq!(a, gzip(&data).unwrap());
        assert!(a.len() < data.len() / 4);
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("x.csv");
        std::fs::write(gz_path(&plain), &a).unwrap();
        assert_eq!(read_text(&plain).unwrap().as_bytes(), data.as_slice());
        assert_eq!(existing(&plain), gz_path(&plain));
    }
}
