import CZlib

/// Inflates zlib streams (PNG `zTXt` and compressed `iTXt`) with a cap on the output size.
enum MetadataInflater {
    /// Why a stream could not be inflated.
    enum Failure: Error, Equatable {
        case corrupt
        case tooLarge
    }

    /// The inflated bytes of a zlib stream, at most `limit` of them.
    static func inflate(
        _ compressed: [UInt8], limit: Int = MetadataLimits.maxInflatedBytes
    ) throws(Failure)
        -> [UInt8]
    {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt
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
        if output.count > limit { throw .tooLarge }
        guard status == Z_STREAM_END else { throw .corrupt }
        return output
    }
}
