import CZlib

/// Inflates deflate streams (zlib-wrapped in PNG `zTXt` and compressed `iTXt`, gzip-wrapped in stealth
/// parameters) with a cap on the output size.
enum MetadataInflater {
    /// Why a stream could not be inflated.
    enum Failure: Error, Equatable {
        case corrupt
        case tooLarge
    }

    /// The header and trailer around the deflate data.
    enum Wrapper: Equatable {
        /// RFC 1950: a two-byte header and an Adler-32 trailer.
        case zlib
        /// RFC 1952: the gzip header and a CRC-32 trailer.
        case gzip

        /// The `windowBits` argument of `inflateInit2`: the largest window, plus 16 for gzip.
        var windowBits: Int32 { self == .zlib ? MAX_WBITS : MAX_WBITS + 16 }
    }

    /// How far a stream could be inflated.
    enum Ending: Equatable {
        /// To the end of the stream, checksum included.
        case complete
        /// The output reached the limit before the stream ended.
        case tooLarge
        /// The stream is damaged or cut short after the output returned.
        case corrupt
    }

    /// The inflated bytes of a zlib or gzip stream, at most `limit` of them.
    static func inflate(
        _ compressed: [UInt8], wrapper: Wrapper = .zlib, limit: Int = MetadataLimits.maxInflatedBytes
    ) throws(Failure) -> [UInt8] {
        let (output, ending) = inflatePrefix(compressed, wrapper: wrapper, limit: limit)
        switch ending {
        case .complete: return output
        case .tooLarge: throw .tooLarge
        case .corrupt: throw .corrupt
        }
    }

    /// As much of a stream as inflates, at most `limit` bytes, and whether it went to the end: metadata
    /// text that is damaged or oversized is still worth reading up to that point.
    static func inflatePrefix(
        _ compressed: [UInt8], wrapper: Wrapper = .zlib, limit: Int = MetadataLimits.maxInflatedBytes
    ) -> (output: [UInt8], ending: Ending) {
        var stream = z_stream()
        let initialised = inflateInit2_(
            &stream, wrapper.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initialised == Z_OK else {
            return ([], .corrupt)
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = compressed
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                // A stream that makes no progress (input exhausted before its end) stops here too.
                if produced == 0 && status == Z_BUF_ERROR { break }
            } while status == Z_OK && output.count <= limit
        }
        if output.count > limit { return (Array(output.prefix(limit)), .tooLarge) }
        return (output, status == Z_STREAM_END ? .complete : .corrupt)
    }
}
