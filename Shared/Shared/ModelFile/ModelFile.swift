import Foundation

/// A verified, memory-mapped model file.
///
/// Opening checks the magic, the format version, the header's checksum and structure, the bounds and
/// alignment of every section, the agreement of each section's size with its kind and counts, and every
/// section's SHA-256. After that, typed views (`strings`, `float32`, `sparseMatrix`, ...) read the mapping
/// in place without copying. The object is immutable and may be shared between threads.
public final class ModelFile: Sendable {
    /// The path the file was opened from, or `<memory>`.
    public let path: String
    /// The decoded JSON header.
    public let header: ModelFileHeader
    /// The format version read from the preamble.
    public let formatVersion: UInt32
    /// The hex SHA-256 of the JSON header, a short identity of this model version.
    public let headerSHA256: String
    let mapping: ModelFileMapping

    /// Maps and verifies the file at `path`; throws `ModelFileError` for anything amiss.
    public convenience init(path: String) throws {
        try self.init(mapping: ModelFileMapping(path: path), path: path)
    }

    /// Verifies a file held in memory (tests, or files received over the network).
    public convenience init(bytes: [UInt8]) throws {
        guard bytes.count >= ModelFileFormat.preambleSize else {
            throw ModelFileError(.truncated, "\(bytes.count) bytes, fewer than the 64-byte preamble")
        }
        try self.init(mapping: ModelFileMapping(bytes: bytes), path: "<memory>")
    }

    private init(mapping: ModelFileMapping, path: String) throws {
        #if _endian(big)
            throw ModelFileError(.unsupportedVersion, "model files are little-endian; this host is big-endian")
        #endif
        self.mapping = mapping
        self.path = path

        let magic = Array(mapping.bytes(at: 0, length: UInt64(ModelFileFormat.magic.count)))
        guard magic == ModelFileFormat.magic else {
            throw ModelFileError(.badMagic, "\(path) is not an imgrec model file")
        }
        formatVersion = mapping.load(UInt32.self, at: 8)
        guard formatVersion == ModelFileFormat.version else {
            throw ModelFileError(
                .unsupportedVersion, "format version \(formatVersion); this build reads \(ModelFileFormat.version)")
        }
        guard mapping.load(UInt32.self, at: 12) == 0 else {
            throw ModelFileError(.unsupportedVersion, "flags set that format version 1 does not define")
        }

        let headerOffset = mapping.load(UInt64.self, at: 16)
        let headerLength = mapping.load(UInt64.self, at: 24)
        guard headerOffset == UInt64(ModelFileFormat.preambleSize),
            headerLength <= UInt64(ModelFileFormat.maxHeaderBytes)
        else {
            throw ModelFileError(.malformedHeader, "header at \(headerOffset) with \(headerLength) bytes is not valid")
        }
        guard headerOffset + headerLength <= UInt64(mapping.count) else {
            throw ModelFileError(.truncated, "header needs \(headerLength) bytes; the file ends before")
        }
        let headerBytes = mapping.bytes(at: headerOffset, length: headerLength)
        let expected = Array(mapping.bytes(at: 32, length: 32))
        guard ModelFileDigest.sha256(headerBytes) == expected else {
            throw ModelFileError(.checksumMismatch, "header checksum does not match")
        }
        headerSHA256 = ModelFileDigest.hex(expected)
        do {
            header = try JSONDecoder().decode(ModelFileHeader.self, from: Data(headerBytes))
        } catch {
            throw ModelFileError(.malformedHeader, "header JSON does not decode: \(error)")
        }

        try verifyHeader(headerEnd: headerOffset + headerLength)
        for section in header.sections {
            try verifySection(section)
        }
    }

    /// The entry of the section named `name`, if present.
    public func section(named name: String) -> ModelSectionEntry? {
        header.sections.first { $0.name == name }
    }

    /// The total size of the file in bytes.
    public var byteCount: Int { mapping.count }
}
