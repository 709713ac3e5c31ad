import CWebP

extension ImageDecoder {
    /// The low-bit plane of a still WebP, lossy or lossless. The first rows come from a cropped decode;
    /// the rest of the image is decoded only when `columnsWanted` asks for some columns, and then only
    /// those (libwebp still holds every pixel of a lossless image while it decodes, so the pixel limit
    /// stays, but neither the RGBA copy nor the plane is wider than needed).
    func webpLowBitPlane(
        _ bytes: [UInt8], firstRows: Int, columnsWanted: (LowBitPlane) -> Int
    ) throws(ImageDecodingError) -> LowBitPlane {
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else {
            throw ImageDecodingError(.corrupt, "could not set up a WebP decoder")
        }
        let status = bytes.withUnsafeBufferPointer { buffer in
            WebPGetFeatures(buffer.baseAddress, buffer.count, &config.input)
        }
        guard status == VP8_STATUS_OK else {
            throw webpRowsError(status)
        }
        let width = Int(config.input.width)
        let height = Int(config.input.height)
        if let error = dimensionError(.webp, width: width, height: height) {
            throw error
        }
        guard config.input.has_animation == 0 else {
            throw ImageDecodingError(.unsupportedFormat, "animated WebP images are not supported")
        }

        var plane = LowBitPlane(width: width, height: height, hasAlpha: config.input.has_alpha != 0)
        let top = min(max(firstRows, 0), height)
        try decodeWebPRows(bytes, rows: top, config: &config, into: &plane)
        guard !plane.isComplete else { return plane }
        let columns = min(columnsWanted(plane), width)
        guard columns > 0 else { return plane }
        // TODO: the top rows are decoded again; libwebp's incremental decoder could continue where the
        // cropped decode stopped.
        plane = LowBitPlane(width: columns, height: height, hasAlpha: plane.hasAlpha)
        try decodeWebPRows(bytes, rows: height, config: &config, into: &plane)
        return plane
    }

    /// Decodes the top `rows` rows of the image's leftmost `plane.width` columns as RGBA and appends their
    /// low bits to `plane`.
    private func decodeWebPRows(
        _ bytes: [UInt8], rows: Int, config: inout WebPDecoderConfig, into plane: inout LowBitPlane
    ) throws(ImageDecodingError) {
        guard rows > 0 else { return }
        let width = plane.width
        config.options.use_cropping = rows < plane.height || width < Int(config.input.width) ? 1 : 0
        config.options.crop_left = 0
        config.options.crop_top = 0
        config.options.crop_width = Int32(width)
        config.options.crop_height = Int32(rows)
        config.output.colorspace = MODE_RGBA
        config.output.is_external_memory = 1

        var samples = [UInt8](repeating: 0, count: width * rows * 4)
        let status = bytes.withUnsafeBufferPointer { source in
            samples.withUnsafeMutableBufferPointer { target in
                config.output.u.RGBA.rgba = target.baseAddress
                config.output.u.RGBA.stride = Int32(width * 4)
                config.output.u.RGBA.size = target.count
                defer {
                    WebPFreeDecBuffer(&config.output)
                    config.output.u.RGBA.rgba = nil
                }
                return WebPDecode(source.baseAddress, source.count, &config)
            }
        }
        guard status == VP8_STATUS_OK else {
            throw webpRowsError(status)
        }
        samples.withUnsafeBufferPointer { plane.append(rgba: $0) }
    }

    /// The error for a libwebp failure of the low-bit reader.
    private func webpRowsError(_ status: VP8StatusCode) -> ImageDecodingError {
        switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA:
            return ImageDecodingError(.truncated, "WebP data ends before the image is complete")
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            return ImageDecodingError(.unsupportedFormat, "WebP uses a feature libwebp cannot decode")
        default:
            return ImageDecodingError(.corrupt, "WebP bitstream is invalid (VP8 status \(status.rawValue))")
        }
    }
}
