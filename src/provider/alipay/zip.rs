//! A minimal zip reader for Alipay's bill archives, over the downloaded bytes: the central
//! directory names the entries, one entry is read as a stream (stored or deflated), and its
//! CRC-32 and size are checked when the stream ends. No zip64, no encryption: Alipay's
//! daily archives need neither.

use std::io::{self, Cursor, Read};

use flate2::bufread::DeflateDecoder;

/// Why an archive cannot be read: the message says what is wrong, for an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt(pub String);

fn corrupt(message: impl Into<String>) -> Corrupt {
    Corrupt(message.into())
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
/// The end record's fixed part; a comment of up to 64 KiB may follow it.
const END_LEN: usize = 22;
/// General purpose flag bit 11: the name is UTF-8. Without it Alipay's names are GBK.
const UTF8_NAME: u16 = 1 << 11;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

/// One entry as the central directory describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    local_offset: u64,
}

/// A downloaded archive whose central directory was read.
#[derive(Debug)]
pub struct Archive {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// An entry name: UTF-8 when flagged, otherwise GBK (as Alipay writes them), and UTF-8 as a
/// last resort for archives made elsewhere.
fn entry_name(raw: &[u8], flags: u16) -> String {
    if flags & UTF8_NAME == 0 {
        if let Some(name) =
            encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(raw)
        {
            return name.into_owned();
        }
    }
    String::from_utf8_lossy(raw).into_owned()
}

impl Archive {
    /// Reads the central directory of `bytes`.
    pub fn open(bytes: Vec<u8>) -> Result<Self, Corrupt> {
        let end = find_end(&bytes)
            .ok_or_else(|| corrupt("no end of central directory record: the zip is cut short"))?;
        let field = |at: usize| u32_at(&bytes, end + at);
        let count = u16_at(&bytes, end + 10).unwrap_or(0);
        let (Some(dir_len), Some(dir_start)) = (field(12), field(16)) else {
            return Err(corrupt("the end of central directory record is cut short"));
        };
        if count == u16::MAX || dir_len == u32::MAX || dir_start == u32::MAX {
            return Err(corrupt("zip64 archives are not read"));
        }
        let dir_start = usize::try_from(dir_start).map_err(|_| corrupt("directory offset"))?;
        let dir_end = dir_start
            .checked_add(usize::try_from(dir_len).map_err(|_| corrupt("directory size"))?)
            .filter(|&e| e <= end)
            .ok_or_else(|| corrupt("the central directory lies outside the archive"))?;
        let mut entries = Vec::with_capacity(usize::from(count));
        let mut at = dir_start;
        for n in 0..count {
            let (entry, next) = central_entry(&bytes, at, dir_end)
                .ok_or_else(|| corrupt(format!("central directory entry {} is corrupt", n + 1)))?;
            entries.push(entry);
            at = next;
        }
        Ok(Self { bytes, entries })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The content of entry `index` as a stream; the archive's bytes move into it.
    pub fn into_entry(self, index: usize) -> Result<EntryReader, Corrupt> {
        let entry = self
            .entries
            .get(index)
            .cloned()
            .ok_or_else(|| corrupt("no such entry"))?;
        let cut = || corrupt(format!("{} is cut short", entry.name));
        let offset = usize::try_from(entry.local_offset).map_err(|_| cut())?;
        let b = &self.bytes;
        if u32_at(b, offset) != Some(LOCAL_HEADER) {
            return Err(corrupt(format!("{}: no local header", entry.name)));
        }
        let (Some(name_len), Some(extra_len)) = (u16_at(b, offset + 26), u16_at(b, offset + 28))
        else {
            return Err(cut());
        };
        let start = offset + 30 + usize::from(name_len) + usize::from(extra_len);
        let end = usize::try_from(entry.compressed)
            .ok()
            .and_then(|len| start.checked_add(len))
            .filter(|&e| e <= b.len())
            .ok_or_else(cut)?;
        let mut bytes = self.bytes;
        bytes.truncate(end);
        let mut data = Cursor::new(bytes);
        data.set_position(start as u64);
        let body = match entry.method {
            STORED => Body::Stored(data),
            DEFLATED => Body::Deflated(Box::new(DeflateDecoder::new(data))),
            other => {
                return Err(corrupt(format!(
                    "{}: compression method {other} is not read",
                    entry.name
                )));
            }
        };
        Ok(EntryReader {
            body,
            crc: crc32fast::Hasher::new(),
            read: 0,
            entry,
        })
    }
}

/// The end of central directory record's position: searched backwards, past a comment.
fn find_end(b: &[u8]) -> Option<usize> {
    let last = b.len().checked_sub(END_LEN)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    (first..=last)
        .rev()
        .find(|&at| u32_at(b, at) == Some(END_OF_DIRECTORY))
}

/// The central directory entry at `at` (within `..limit`) and where the next one starts.
fn central_entry(b: &[u8], at: usize, limit: usize) -> Option<(Entry, usize)> {
    if u32_at(b, at)? != CENTRAL_HEADER {
        return None;
    }
    let name_len = usize::from(u16_at(b, at + 28)?);
    let extra_len = usize::from(u16_at(b, at + 30)?);
    let comment_len = usize::from(u16_at(b, at + 32)?);
    let name_start = at + 46;
    let next = name_start + name_len + extra_len + comment_len;
    if next > limit {
        return None;
    }
    let flags = u16_at(b, at + 8)?;
    let entry = Entry {
        name: entry_name(b.get(name_start..name_start + name_len)?, flags),
        method: u16_at(b, at + 10)?,
        crc: u32_at(b, at + 16)?,
        compressed: u64::from(u32_at(b, at + 20)?),
        size: u64::from(u32_at(b, at + 24)?),
        local_offset: u64::from(u32_at(b, at + 42)?),
    };
    Some((entry, next))
}

enum Body {
    Stored(Cursor<Vec<u8>>),
    Deflated(Box<DeflateDecoder<Cursor<Vec<u8>>>>),
}

/// An entry's content, read as a stream. Its end is only given once the size and CRC-32 the
/// directory states match what was read; otherwise reading fails with `InvalidData`.
pub struct EntryReader {
    body: Body,
    crc: crc32fast::Hasher,
    read: u64,
    entry: Entry,
}

impl EntryReader {
    pub fn name(&self) -> &str {
        &self.entry.name
    }
}

impl Read for EntryReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &mut self.body {
            Body::Stored(data) => data.read(buf)?,
            Body::Deflated(data) => data.read(buf)?,
        };
        self.crc.update(&buf[..n]);
        self.read += n as u64;
        let bad = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
        if self.read > self.entry.size {
            return Err(bad(format!(
                "{} is longer than the {} bytes its directory states",
                self.entry.name, self.entry.size
            )));
        }
        if n == 0 && !buf.is_empty() {
            if self.read != self.entry.size {
                return Err(bad(format!(
                    "{} ends after {} of its {} bytes",
                    self.entry.name, self.read, self.entry.size
                )));
            }
            if self.crc.clone().finalize() != self.entry.crc {
                return Err(bad(format!("{} fails its CRC-32 check", self.entry.name)));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
pub(super) mod tests;
