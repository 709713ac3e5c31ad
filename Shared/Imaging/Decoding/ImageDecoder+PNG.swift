import CPNG

extension ImageDecoder {
    /// Decodes a PNG through libpng's simplified API; every colour type and bit depth comes out as
    /// 8-bit sRGB, with alpha composited onto white.
    func decodePNG(_ bytes: [UInt8]) throws(ImageDecodingError) -> RGBImage {
        // libpng reads on to the first IDAT before it reports the size, so the IHDR (always the first
        // chunk, at offset 8) is checked here first.
        if bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) {
            let width = Self.bigEndian32(bytes, at: 16)
            let height = Self.bigEndian32(bytes, at: 20)
            if let error = dimensionError(.png, width: width, height: height) {
                throw error
            }
        }
        guard Self.containsIEND(bytes) else {
            throw ImageDecodingError(.truncated, "PNG data ends before its IEND chunk")
        }

        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }

        let result: Result<RGBImage, ImageDecodingError> = bytes.withUnsafeBufferPointer { buffer in
            guard png_image_begin_read_from_memory(&image, buffer.baseAddress, buffer.count) != 0 else {
                return .failure(pngError(image, bytes: bytes))
            }
            let width = Int(image.width)
            let height = Int(image.height)
            if let error = dimensionError(.png, width: width, height: height) {
                return .failure(error)
            }

            image.format = png_uint_32(PNG_FORMAT_RGB)
            var white = png_color(red: 255, green: 255, blue: 255)
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            let status = pixels.withUnsafeMutableBytes { target in
                png_image_finish_read(&image, &white, target.baseAddress, png_int_32(width * 3), nil)
            }
            guard status != 0 else {
                return .failure(pngError(image, bytes: bytes))
            }
            return .success(RGBImage(width: width, height: height, pixels: pixels))
        }
        return try result.get()
    }

    /// The error for a libpng failure.
    private func pngError(_ image: png_image, bytes: [UInt8]) -> ImageDecodingError {
        let message = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return ImageDecodingError(.corrupt, "PNG: \(message)")
    }

    /// Whether an `IEND` chunk (type and its fixed CRC) occurs after the signature; a PNG without one
    /// was cut short even when its pixel data happens to be complete.
    private static func containsIEND(_ bytes: [UInt8]) -> Bool {
        let iend: [UInt8] = [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        guard bytes.count >= 8 + iend.count else {
            return false
        }
        for start in stride(from: bytes.count - iend.count, through: 8, by: -1)
        where bytes[start] == iend[0] && bytes[start..<(start + iend.count)].elementsEqual(iend) {
            return true
        }
        return false
    }

    /// The unsigned big-endian 32-bit value at `offset`.
    private static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
    }
}
