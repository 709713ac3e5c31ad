/// Reads a stealth parameters stream out of a low-bit plane; the layout is described at
/// `StealthParameters`.
enum StealthStream {
    /// One kind of stream: its signature, where its bits are and whether its payload is compressed.
    struct Kind: Sendable, Equatable {
        let signature: String
        let channel: StealthParameters.Channel
        let isCompressed: Bool
    }

    /// Why a stream that starts with a signature yields no parameters.
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// The image ends inside the 32-bit length.
        case endsInLength
        /// The length is zero or not a whole number of bytes.
        case malformedLength(UInt32)
        /// The length is over `MetadataLimits.maxStealthPayloadBytes`.
        case lengthOverLimit(UInt32)
        /// The length is more than the bits left in the image.
        case lengthPastEnd(UInt32, available: Int)
        /// The compressed payload is not a valid gzip stream.
        case corruptGzip
        /// The compressed payload inflates past `MetadataLimits.maxStealthPayloadBytes`.
        case inflatesOverLimit
        /// The payload is not UTF-8 text.
        case notUTF8

        var description: String {
            switch self {
            case .endsInLength: "the image ends inside the payload length"
            case .malformedLength(let bits): "a payload of \(bits) bits is not a whole number of bytes"
            case .lengthOverLimit(let bits): "a payload of \(bits) bits is over the \(limit)-byte limit"
            case .lengthPastEnd(let bits, let available): "\(bits) payload bits declared, \(available) in the image"
            case .corruptGzip: "the payload is not a valid gzip stream"
            case .inflatesOverLimit: "the payload inflates past \(limit) bytes"
            case .notUTF8: "the payload is not UTF-8 text"
            }
        }

        private var limit: Int { MetadataLimits.maxStealthPayloadBytes }
    }

    /// The four kinds the web UI writes, alpha first as its reader checks them.
    static let kinds = [
        Kind(signature: "stealth_pnginfo", channel: .alpha, isCompressed: false),
        Kind(signature: "stealth_pngcomp", channel: .alpha, isCompressed: true),
        Kind(signature: "stealth_rgbinfo", channel: .rgb, isCompressed: false),
        Kind(signature: "stealth_rgbcomp", channel: .rgb, isCompressed: true),
    ]

    /// Bits of the signature: 15 ASCII characters.
    static let signatureBits = 120
    /// Bits of the payload length that follows it.
    static let lengthBits = 32

    /// Rows to decode before the signature and the length can be read: in alpha they take the first 152
    /// pixels of column 0 (all rows of a shorter image, and the next columns), in RGB the first 51.
    static let headerRows = signatureBits + lengthBits

    /// The most pixels a stream this reader accepts can take in column order: header and largest payload
    /// at one bit a pixel (alpha; RGB takes a third). No pixel after them is ever read.
    static let maxStreamPixels = signatureBits + lengthBits + MetadataLimits.maxStealthPayloadBytes * 8

    /// The kind of stream whose signature starts the plane, or nil when none does (or the image holds
    /// fewer bits than a signature).
    static func kind(in plane: LowBitPlane) -> Kind? {
        for channel in StealthParameters.Channel.allCases where channel == .rgb || plane.hasAlpha {
            let bits = StealthBits(plane: plane, channel: channel)
            guard bits.count >= signatureBits else { continue }
            let signature = bits.bytes(from: 0, count: signatureBits / 8)
            if let kind = kinds.first(where: { $0.channel == channel && Array($0.signature.utf8) == signature }) {
                return kind
            }
        }
        return nil
    }

    /// How many columns, from the left, the stream of `kind` that starts `plane` takes: its header and the
    /// payload bits it declares (only the header for a length over the limit, which is refused unread), at
    /// most the plane's width; the width when the plane holds too few rows to read the length.
    static func columns(_ kind: Kind, in plane: LowBitPlane) -> Int {
        let bits = StealthBits(plane: plane, channel: kind.channel)
        let header = signatureBits + lengthBits
        guard bits.count >= header else { return plane.width }
        let length = Int(bits.u32(from: signatureBits))
        let payload = length <= MetadataLimits.maxStealthPayloadBytes * 8 ? length : 0
        let perColumn = plane.height * bits.bitsPerPixel
        return min(plane.width, (header + payload + perColumn - 1) / perColumn)
    }

    /// The parameters in a stream of `kind`, read from a complete plane.
    /// - Throws: `Failure` when the length, the compression or the text is not valid.
    static func parameters(_ kind: Kind, in plane: LowBitPlane) throws(Failure) -> StealthParameters {
        let bits = StealthBits(plane: plane, channel: kind.channel)
        let header = signatureBits + lengthBits
        guard bits.count >= header else { throw .endsInLength }
        let length = bits.u32(from: signatureBits)
        guard length <= MetadataLimits.maxStealthPayloadBytes * 8 else { throw .lengthOverLimit(length) }
        guard length > 0, length % 8 == 0 else { throw .malformedLength(length) }
        guard Int(length) <= bits.count - header else {
            throw .lengthPastEnd(length, available: bits.count - header)
        }

        var payload = bits.bytes(from: header, count: Int(length) / 8)
        if kind.isCompressed {
            do {
                payload = try MetadataInflater.inflate(
                    payload, wrapper: .gzip, limit: MetadataLimits.maxStealthPayloadBytes)
            } catch .tooLarge {
                throw .inflatesOverLimit
            } catch {
                throw .corruptGzip
            }
        }
        guard let text = String(validating: payload, as: UTF8.self) else { throw .notUTF8 }
        return StealthParameters(
            channel: kind.channel, isCompressed: kind.isCompressed, signature: kind.signature, text: text)
    }
}

/// The bits of one channel of a low-bit plane in stream order: column by column, top to bottom, and
/// red, green, blue within a pixel in RGB.
struct StealthBits {
    let plane: LowBitPlane
    let channel: StealthParameters.Channel

    /// Bits each pixel gives.
    var bitsPerPixel: Int { channel == .alpha ? 1 : 3 }

    /// How many bits can be read: all of them once the plane is complete; before that only those of
    /// the rows read in column 0.
    var count: Int {
        let pixels = plane.isComplete ? plane.width * plane.height : min(plane.rowsRead, plane.height)
        return pixels * bitsPerPixel
    }

    /// The bit at `index` (below `count`), 0 or 1.
    func bit(_ index: Int) -> UInt8 {
        let pixel = index / bitsPerPixel
        let x = pixel / plane.height
        let y = pixel % plane.height
        let sample: LowBitPlane.Sample
        switch (channel, index % 3) {
        case (.alpha, _): sample = .alpha
        case (.rgb, 0): sample = .red
        case (.rgb, 1): sample = .green
        default: sample = .blue
        }
        return plane.bit(sample, x: x, y: y) ? 1 : 0
    }

    /// `count` bytes from bit `start`, most significant bit first.
    func bytes(from start: Int, count: Int) -> [UInt8] {
        (0..<count).map { byte in
            (0..<8).reduce(UInt8(0)) { value, offset in value << 1 | bit(start + byte * 8 + offset) }
        }
    }

    /// The big-endian 32-bit value from bit `start`.
    func u32(from start: Int) -> UInt32 {
        bytes(from: start, count: 4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
