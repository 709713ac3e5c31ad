import Foundation

/// Paths and byte builders shared by the metadata tests.
enum MetadataTestSupport {
    /// The repository root, found from this file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = repositoryRoot.appendingPathComponent("Tests/Fixtures/provenance/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    static func bytes(at url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    static func demoImage(_ name: String) throws -> [UInt8] {
        let url = repositoryRoot.appendingPathComponent("demo/images/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    /// One IFD entry for `tiff(bigEndian:ifd0:exif:)`: tag, type and the already-encoded value bytes.
    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        var value: [UInt8]

        static func ascii(_ tag: UInt16, _ text: String) -> Entry {
            let bytes = Array(text.utf8) + [0]
            return Entry(tag: tag, type: 2, count: UInt32(bytes.count), value: bytes)
        }

        static func undefined(_ tag: UInt16, _ bytes: [UInt8]) -> Entry {
            Entry(tag: tag, type: 7, count: UInt32(bytes.count), value: bytes)
        }
    }

    static func u16(_ value: UInt16, bigEndian: Bool) -> [UInt8] {
        let bytes = [UInt8(value >> 8), UInt8(value & 0xFF)]
        return bigEndian ? bytes : bytes.reversed()
    }

    static func u32(_ value: UInt32, bigEndian: Bool) -> [UInt8] {
        let bytes = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        return bigEndian ? bytes : bytes.reversed()
    }

    /// A TIFF structure with IFD0 entries and, when `exif` is not empty, an Exif sub-IFD.
    /// Values of 4 bytes or less are stored inline; SHORT/LONG values must be given in `bigEndian` order.
    static func tiff(bigEndian: Bool, ifd0: [Entry], exif: [Entry] = []) -> [UInt8] {
        var ifd0 = ifd0
        let hasExif = !exif.isEmpty
        if hasExif {
            ifd0.append(Entry(tag: 0x8769, type: 4, count: 1, value: u32(0, bigEndian: bigEndian)))
        }
        var out: [UInt8] = bigEndian ? Array("MM".utf8) + [0, 42] : Array("II".utf8) + [42, 0]
        out += u32(8, bigEndian: bigEndian)
        let ifd0Size = 2 + ifd0.count * 12 + 4
        let ifd0DataSize = ifd0.reduce(0) { $0 + ($1.value.count > 4 ? $1.value.count : 0) }
        let exifOffset = 8 + ifd0Size + ifd0DataSize
        if hasExif {
            ifd0[ifd0.count - 1].value = u32(UInt32(exifOffset), bigEndian: bigEndian)
        }
        out += ifd(ifd0, at: 8, bigEndian: bigEndian)
        if hasExif { out += ifd(exif, at: exifOffset, bigEndian: bigEndian) }
        return out
    }

    private static func ifd(_ entries: [Entry], at offset: Int, bigEndian: Bool) -> [UInt8] {
        var table = u16(UInt16(entries.count), bigEndian: bigEndian)
        var data: [UInt8] = []
        let dataStart = offset + 2 + entries.count * 12 + 4
        for entry in entries {
            table += u16(entry.tag, bigEndian: bigEndian) + u16(entry.type, bigEndian: bigEndian)
            table += u32(entry.count, bigEndian: bigEndian)
            if entry.value.count <= 4 {
                table += entry.value + [UInt8](repeating: 0, count: 4 - entry.value.count)
            } else {
                table += u32(UInt32(dataStart + data.count), bigEndian: bigEndian)
                data += entry.value
            }
        }
        return table + u32(0, bigEndian: bigEndian) + data
    }

    /// A minimal JPEG: SOI, the given segments (marker, body), EOI.
    static func jpeg(_ segments: [(UInt8, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        for (marker, body) in segments {
            out += [0xFF, marker] + u16(UInt16(body.count + 2), bigEndian: true) + body
        }
        return out + [0xFF, 0xD9]
    }

    /// A PNG signature followed by the given chunks (type, body) and IEND; CRCs are zero.
    static func png(_ chunks: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for (type, body) in chunks + [("IEND", [])] {
            out += u32(UInt32(body.count), bigEndian: true) + Array(type.utf8) + body + [0, 0, 0, 0]
        }
        return out
    }

    /// A WebP RIFF container with the given chunks (fourCC, body).
    static func webp(_ chunks: [(String, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = Array("WEBP".utf8)
        for (fourCC, data) in chunks {
            body += Array(fourCC.utf8) + u32(UInt32(data.count), bigEndian: false) + data
            if data.count % 2 == 1 { body.append(0) }
        }
        return Array("RIFF".utf8) + u32(UInt32(body.count), bigEndian: false) + body
    }

    /// A zlib stream holding `data` in stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var chunks = stride(from: 0, to: data.count, by: 65_535).map { Array(data[$0..<min($0 + 65_535, data.count)]) }
        if chunks.isEmpty { chunks = [[]] }
        for (index, chunk) in chunks.enumerated() {
            let length = UInt16(chunk.count)
            out.append(index == chunks.count - 1 ? 1 : 0)
            out += u16(length, bigEndian: false) + u16(~length, bigEndian: false) + chunk
        }
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + u32(b << 16 | a, bigEndian: true)
    }
}
