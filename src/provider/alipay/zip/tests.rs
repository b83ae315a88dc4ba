//! The reader against the Python-made vector, and archives written here: stored and
//! deflated entries, GBK and UTF-8 names, and damaged copies.

use std::io::Write;

use super::*;

pub const VECTOR: &[u8] = include_bytes!("../../../../tests/data/vectors/alipay/bill_trade.zip");

/// An entry for [`write_zip`]: its raw name, whether the name is flagged UTF-8, its content,
/// and whether it is deflated.
pub struct Item<'a> {
    pub name: &'a [u8],
    pub utf8: bool,
    pub content: &'a [u8],
    pub deflate: bool,
}

/// A zip of `items`, written as the format describes, independently of the reader.
pub fn write_zip(items: &[Item<'_>]) -> Vec<u8> {
    let (mut out, mut dir) = (Vec::new(), Vec::new());
    for item in items {
        let data = if item.deflate {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(item.content).unwrap();
            e.finish().unwrap()
        } else {
            item.content.to_vec()
        };
        let flags: u16 = if item.utf8 { 1 << 11 } else { 0 };
        let method: u16 = if item.deflate { 8 } else { 0 };
        let crc = crc32fast::hash(item.content);
        let offset = out.len() as u32;
        let mut common = Vec::new();
        common.extend_from_slice(&20u16.to_le_bytes());
        common.extend_from_slice(&flags.to_le_bytes());
        common.extend_from_slice(&method.to_le_bytes());
        common.extend_from_slice(&[0; 4]); // time and date
        common.extend_from_slice(&crc.to_le_bytes());
        common.extend_from_slice(&(data.len() as u32).to_le_bytes());
        common.extend_from_slice(&(item.content.len() as u32).to_le_bytes());
        common.extend_from_slice(&(item.name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // extra
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(item.name);
        out.extend_from_slice(&data);
        dir.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        dir.extend_from_slice(&20u16.to_le_bytes()); // made by
        dir.extend_from_slice(&common);
        dir.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        dir.extend_from_slice(&[0; 4]); // external attributes
        dir.extend_from_slice(&offset.to_le_bytes());
        dir.extend_from_slice(item.name);
    }
    let dir_start = out.len() as u32;
    out.extend_from_slice(&dir);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(items.len() as u16).to_le_bytes());
    out.extend_from_slice(&(items.len() as u16).to_le_bytes());
    out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
    out.extend_from_slice(&dir_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn read_all(archive: Archive, index: usize) -> io::Result<Vec<u8>> {
    let mut reader = archive
        .into_entry(index)
        .map_err(|c| io::Error::other(c.0))?;
    let mut out = Vec::new();
    reader.read_to_end(&mut out)?;
    Ok(out)
}

#[test]
fn the_python_vector_reads_with_gbk_names() {
    let archive = Archive::open(VECTOR.to_vec()).unwrap();
    let names: Vec<&str> = archive.entries().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "20885212319120680156_20261122_业务明细(汇总).csv",
            "20885212319120680156_20261122_业务明细.csv"
        ]
    );
    let detail = read_all(archive, 1).unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&detail);
    assert!(!bad);
    assert!(text.starts_with("#支付宝业务明细查询\r\n"), "{text}");
    assert!(text.ends_with("#导出时间：[2026年11月23日 10:24:18]\r\n"));
}

#[test]
fn stored_and_deflated_entries_read_back_and_utf8_names_are_flagged() {
    let big: Vec<u8> = (0..200_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    let zip = write_zip(&[
        Item {
            name: "说明.txt".as_bytes(),
            utf8: true,
            content: b"stored",
            deflate: false,
        },
        Item {
            name: b"big.bin",
            utf8: false,
            content: &big,
            deflate: true,
        },
    ]);
    let archive = Archive::open(zip.clone()).unwrap();
    assert_eq!(archive.entries()[0].name, "说明.txt");
    assert_eq!(read_all(archive, 0).unwrap(), b"stored");
    assert_eq!(read_all(Archive::open(zip).unwrap(), 1).unwrap(), big);
}

#[test]
fn damaged_archives_fail_and_never_read_as_whole() {
    // Cut anywhere: the directory is gone or points past the end.
    for cut in [0, 10, VECTOR.len() / 2, VECTOR.len() - 1] {
        assert!(
            Archive::open(VECTOR[..cut].to_vec()).is_err(),
            "cut at {cut}"
        );
    }
    // A changed byte in the detail's compressed data: corrupt, or a CRC that differs.
    let archive = Archive::open(VECTOR.to_vec()).unwrap();
    let detail = archive.entries()[1].clone();
    let header = detail.local_offset as usize;
    let start = header + 30 + usize::from(u16_at(VECTOR, header + 26).unwrap());
    for at in [
        start + 5,
        start + 200,
        start + detail.compressed as usize - 3,
    ] {
        let mut bytes = VECTOR.to_vec();
        bytes[at] ^= 0x55;
        let err = read_all(Archive::open(bytes).unwrap(), 1).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                io::ErrorKind::InvalidData
                    | io::ErrorKind::InvalidInput
                    | io::ErrorKind::UnexpectedEof
            ),
            "{err}"
        );
    }
    // A stored entry whose directory claims more bytes than there are.
    let mut zip = write_zip(&[Item {
        name: b"a.csv",
        utf8: false,
        content: b"abc",
        deflate: false,
    }]);
    let size_at = zip.len() - 22 - (46 + 5) + 24;
    let mut longer = zip.clone();
    longer[size_at] = 4;
    let err = read_all(Archive::open(longer).unwrap(), 0).unwrap_err();
    assert!(
        err.to_string().contains("ends after 3 of its 4 bytes"),
        "{err}"
    );
    // A changed byte of a stored entry: only its CRC-32 tells.
    zip[30 + 5] = b'x';
    let err = read_all(Archive::open(zip).unwrap(), 0).unwrap_err();
    assert!(
        err.to_string().contains("a.csv fails its CRC-32 check"),
        "{err}"
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        if let Ok(archive) = Archive::open(bytes) {
            let _ = read_all(archive, 0);
        }
    }

    #[test]
    fn changed_vectors_never_panic(at in 0usize..1320, bit in 0u8..8) {
        let mut bytes = VECTOR.to_vec();
        if at < bytes.len() {
            bytes[at] ^= 1 << bit;
        }
        if let Ok(archive) = Archive::open(bytes) {
            let _ = read_all(archive, 1);
        }
    }
}
