/// Reads the EXIF tags imgrec uses from a TIFF structure (the payload of a JPEG APP1 `Exif` segment,
/// a PNG `eXIf` chunk or a WebP `EXIF` chunk), in either byte order.
///
/// Only IFD0 and the Exif sub-IFD it points to are read; the IFD1 thumbnail chain is not followed, so
/// the walk cannot loop. Every offset and count is checked against the data.
struct TIFFParser {
    private let data: MetadataBytes
    private let bigEndian: Bool

    /// Parses `tiff` into `exif`, appending a note to `warnings` when the structure is damaged.
    static func parse(_ tiff: [UInt8], into exif: inout ExifTags, warnings: inout [String]) {
        let data = MetadataBytes(tiff)
        let bigEndian: Bool
        if data.matches([0x4D, 0x4D, 0x00, 0x2A], at: 0) {
            bigEndian = true
        } else if data.matches([0x49, 0x49, 0x2A, 0x00], at: 0) {
            bigEndian = false
        } else {
            warnings.append("exif: not a TIFF header")
            return
        }
        let parser = TIFFParser(data: data, bigEndian: bigEndian)
        guard let ifd0 = data.u32(4, bigEndian: bigEndian) else {
            warnings.append("exif: truncated header")
            return
        }

        let entries = parser.entries(at: Int(ifd0), warnings: &warnings)
        for entry in entries {
            parser.apply(entry, to: &exif)
        }
        if let pointer = entries.first(where: { $0.tag == 0x8769 }), let offset = parser.integer(pointer),
            offset != Int(ifd0)
        {
            for entry in parser.entries(at: offset, warnings: &warnings) {
                parser.apply(entry, to: &exif)
            }
        }
    }

    private struct Entry {
        let tag: UInt16
        let type: UInt16
        let count: Int
        /// The value bytes, or nil when they lie outside the data.
        let value: [UInt8]?
    }

    private init(data: MetadataBytes, bigEndian: Bool) {
        self.data = data
        self.bigEndian = bigEndian
    }

    private func entries(at offset: Int, warnings: inout [String]) -> [Entry] {
        guard let declared = data.u16(offset, bigEndian: bigEndian) else {
            warnings.append("exif: IFD offset \(offset) outside the data")
            return []
        }
        var count = Int(declared)
        if count > MetadataLimits.maxIFDEntries {
            warnings.append("exif: IFD declares \(count) entries; reading \(MetadataLimits.maxIFDEntries)")
            count = MetadataLimits.maxIFDEntries
        }

        var result: [Entry] = []
        for index in 0..<count {
            let position = offset + 2 + index * 12
            guard let tag = data.u16(position, bigEndian: bigEndian),
                let type = data.u16(position + 2, bigEndian: bigEndian),
                let rawCount = data.u32(position + 4, bigEndian: bigEndian)
            else {
                warnings.append("exif: IFD truncated after \(index) entries")
                break
            }
            result.append(entry(tag: tag, type: type, count: Int(rawCount), at: position))
        }
        return result
    }

    private func entry(tag: UInt16, type: UInt16, count: Int, at position: Int) -> Entry {
        let (size, overflow) = Self.typeSize(type).multipliedReportingOverflow(by: count)
        guard !overflow, size > 0 else { return Entry(tag: tag, type: type, count: count, value: nil) }
        if size <= 4 {
            return Entry(tag: tag, type: type, count: count, value: data.slice(position + 8, size))
        }
        let offset = data.u32(position + 8, bigEndian: bigEndian).map(Int.init) ?? -1
        return Entry(tag: tag, type: type, count: count, value: data.slice(offset, size))
    }

    private static func typeSize(_ type: UInt16) -> Int {
        switch type {
        case 1, 2, 6, 7: 1
        case 3, 8: 2
        case 4, 9, 11: 4
        case 5, 10, 12: 8
        default: 0
        }
    }

    private func apply(_ entry: Entry, to exif: inout ExifTags) {
        switch entry.tag {
        case 0x010E: exif.imageDescription = ascii(entry) ?? exif.imageDescription
        case 0x010F: exif.make = ascii(entry) ?? exif.make
        case 0x0110: exif.model = ascii(entry) ?? exif.model
        case 0x0131: exif.software = ascii(entry) ?? exif.software
        case 0x0132: exif.dateTime = ascii(entry) ?? exif.dateTime
        case 0x013B: exif.artist = ascii(entry) ?? exif.artist
        case 0x0112: exif.orientation = integer(entry) ?? exif.orientation
        case 0x829A: exif.exposureTime = rational(entry) ?? exif.exposureTime
        case 0x829D: exif.fNumber = rational(entry) ?? exif.fNumber
        case 0x8827: exif.iso = integer(entry) ?? exif.iso
        case 0x9003: exif.dateTimeOriginal = ascii(entry) ?? exif.dateTimeOriginal
        case 0x920A: exif.focalLength = rational(entry) ?? exif.focalLength
        case 0x9286:
            let comment = entry.value.flatMap { UserCommentDecoder.decode($0, bigEndian: bigEndian) }
            exif.userComment = comment ?? exif.userComment
        default: break
        }
    }

    private func ascii(_ entry: Entry) -> String? {
        guard let value = entry.value, [1, 2, 7].contains(entry.type) else { return nil }
        return value.uptoNUL.metadataText.metadataTrimmed
    }

    private func integer(_ entry: Entry) -> Int? {
        guard let value = entry.value else { return nil }
        let bytes = MetadataBytes(value)
        switch entry.type {
        case 1: return bytes.u8(0).map(Int.init)
        case 3: return bytes.u16(0, bigEndian: bigEndian).map(Int.init)
        case 4: return bytes.u32(0, bigEndian: bigEndian).map(Int.init)
        default: return nil
        }
    }

    private func rational(_ entry: Entry) -> Double? {
        guard let value = entry.value else { return nil }
        let bytes = MetadataBytes(value)
        switch entry.type {
        case 5, 10:
            guard let numerator = bytes.u32(0, bigEndian: bigEndian),
                let denominator = bytes.u32(4, bigEndian: bigEndian), denominator != 0
            else { return nil }
            return entry.type == 5
                ? Double(numerator) / Double(denominator)
                : Double(Int32(bitPattern: numerator)) / Double(Int32(bitPattern: denominator))
        default:
            return integer(entry).map(Double.init)
        }
    }
}
