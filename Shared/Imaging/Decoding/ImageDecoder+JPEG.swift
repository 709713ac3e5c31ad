import CJPEG

extension ImageDecoder {
    /// Decodes a JPEG through libjpeg-turbo; grey and YCbCr files come out as RGB.
    func decodeJPEG(_ bytes: [UInt8]) throws(ImageDecodingError) -> RGBImage {
        guard let decoder = imgrec_jpeg_create() else {
            throw ImageDecodingError(.corrupt, "could not allocate a JPEG decoder")
        }
        defer { imgrec_jpeg_destroy(decoder) }

        let result: Result<RGBImage, ImageDecodingError> = bytes.withUnsafeBufferPointer { buffer in
            // libjpeg reads from the buffer until the decoder is destroyed, all within this closure.
            guard imgrec_jpeg_read_header(decoder, buffer.baseAddress, UInt(buffer.count)) == 0 else {
                return .failure(jpegError(decoder, stage: "header"))
            }
            let width = Int(decoder.pointee.info.image_width)
            let height = Int(decoder.pointee.info.image_height)
            if let error = dimensionError(.jpeg, width: width, height: height) {
                return .failure(error)
            }

            guard imgrec_jpeg_start_rgb(decoder) == 0 else {
                return .failure(jpegError(decoder, stage: "start"))
            }
            let outputWidth = Int(decoder.pointee.info.output_width)
            let outputHeight = Int(decoder.pointee.info.output_height)
            var pixels = [UInt8](repeating: 0, count: outputWidth * outputHeight * 3)
            let status = pixels.withUnsafeMutableBufferPointer { target in
                imgrec_jpeg_read_pixels(decoder, target.baseAddress, outputWidth * 3)
            }
            guard status == 0 else {
                return .failure(jpegError(decoder, stage: "data"))
            }
            if decoder.pointee.errors.truncated != 0 {
                return .failure(ImageDecodingError(.truncated, "JPEG data ends before the image is complete"))
            }
            return .success(RGBImage(width: outputWidth, height: outputHeight, pixels: pixels))
        }
        return try result.get()
    }

    /// The error for a libjpeg failure; running out of data counts as truncation.
    private func jpegError(
        _ decoder: UnsafeMutablePointer<imgrec_jpeg_decoder>, stage: String
    )
        -> ImageDecodingError
    {
        if decoder.pointee.errors.truncated != 0 {
            return ImageDecodingError(.truncated, "JPEG data ends before the image is complete")
        }
        let message = withUnsafeBytes(of: decoder.pointee.errors.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return ImageDecodingError(.corrupt, "JPEG \(stage): \(message)")
    }
}
