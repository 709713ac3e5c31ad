import CWebP

extension ImageDecoder {
    /// Decodes a WebP (lossy, lossless or extended; the first frame of an animation is not read)
    /// through libwebp, compositing alpha onto white.
    func decodeWebP(_ bytes: [UInt8]) throws(ImageDecodingError) -> RGBImage {
        // An extended file's VP8X chunk states the canvas size (24 bits each, minus one); check it before
        // libwebp looks for the image chunks.
        if bytes.count >= 30, Array(bytes[12..<16]) == Array("VP8X".utf8) {
            let width = 1 + Self.littleEndian(bytes[24..<27])
            let height = 1 + Self.littleEndian(bytes[27..<30])
            if let error = dimensionError(.webp, width: width, height: height) {
                throw error
            }
        }

        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { buffer in
            WebPGetFeatures(buffer.baseAddress, buffer.count, &features)
        }
        guard status == VP8_STATUS_OK else {
            throw webpError(status, bytes: bytes)
        }
        let width = Int(features.width)
        let height = Int(features.height)
        if let error = dimensionError(.webp, width: width, height: height) {
            throw error
        }
        guard features.has_animation == 0 else {
            throw ImageDecodingError(.unsupportedFormat, "animated WebP images are not supported")
        }

        let channels = features.has_alpha != 0 ? 4 : 3
        var samples = [UInt8](repeating: 0, count: width * height * channels)
        let decoded = bytes.withUnsafeBufferPointer { source in
            samples.withUnsafeMutableBufferPointer { target in
                if channels == 4 {
                    WebPDecodeRGBAInto(
                        source.baseAddress, source.count, target.baseAddress, target.count,
                        Int32(width * 4))
                } else {
                    WebPDecodeRGBInto(
                        source.baseAddress, source.count, target.baseAddress, target.count,
                        Int32(width * 3))
                }
            }
        }
        guard decoded != nil else {
            throw webpError(VP8_STATUS_BITSTREAM_ERROR, bytes: bytes)
        }
        let pixels = channels == 4 ? Self.compositeOnWhite(rgba: samples) : samples
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// RGBA samples blended onto an opaque white background, as RGB.
    static func compositeOnWhite(rgba: [UInt8]) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: rgba.count / 4 * 3)
        for pixel in 0..<(rgba.count / 4) {
            let alpha = UInt32(rgba[pixel * 4 + 3])
            for channel in 0..<3 {
                let value = UInt32(rgba[pixel * 4 + channel])
                rgb[pixel * 3 + channel] = UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255)
            }
        }
        return rgb
    }

    /// The error for a libwebp failure. Data shorter than the RIFF header's size is reported as
    /// truncated.
    private func webpError(_ status: VP8StatusCode, bytes: [UInt8]) -> ImageDecodingError {
        if status == VP8_STATUS_NOT_ENOUGH_DATA || bytes.count < Self.riffLength(bytes) {
            return ImageDecodingError(.truncated, "WebP data ends before the image is complete")
        }
        if status == VP8_STATUS_UNSUPPORTED_FEATURE {
            return ImageDecodingError(.unsupportedFormat, "WebP uses a feature libwebp cannot decode")
        }
        return ImageDecodingError(.corrupt, "WebP bitstream is invalid (VP8 status \(status.rawValue))")
    }

    /// The file length announced by the RIFF header (`RIFF` + 32-bit little-endian size + payload).
    private static func riffLength(_ bytes: [UInt8]) -> Int {
        guard bytes.count >= 8 else {
            return Int.max
        }
        return littleEndian(bytes[4..<8]) + 8
    }

    /// The unsigned little-endian value of `bytes`.
    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
