import CPNG

extension ImageDecoder {
    /// The low-bit plane of a PNG, read row by row through libpng so that decoding can stop after the
    /// first rows.
    func pngLowBitPlane(
        _ bytes: [UInt8], firstRows: Int, wantsRest: (LowBitPlane) -> Bool
    ) throws(ImageDecodingError) -> LowBitPlane {
        guard let reader = imgrec_png_rows_create() else {
            throw ImageDecodingError(.corrupt, "could not allocate a PNG decoder")
        }
        defer { imgrec_png_rows_destroy(reader) }

        let result: Result<LowBitPlane, ImageDecodingError> = bytes.withUnsafeBufferPointer { buffer in
            // libpng reads from the buffer until the reader is destroyed, all within this closure.
            let maxSide = UInt32(clamping: min(maxPixels, 0x7fff_ffff))
            guard imgrec_png_rows_begin(reader, buffer.baseAddress, buffer.count, maxSide) == 0 else {
                return .failure(pngRowsError(reader))
            }
            let width = Int(reader.pointee.width)
            let height = Int(reader.pointee.height)
            if let error = dimensionError(.png, width: width, height: height) {
                return .failure(error)
            }
            var plane = LowBitPlane(width: width, height: height, hasAlpha: reader.pointee.has_alpha != 0)

            if reader.pointee.interlaced != 0 {
                // TODO: an interlaced image is decoded whole before `wantsRest` is asked: no row is final
                // before the last Adam7 pass, and the first passes hold too few pixels of the top rows. Only
                // its low bits are kept, one byte a pixel, and one row of samples.
                var row = [UInt8](repeating: 0, count: width * 4)
                var bits = [UInt8](repeating: 0, count: width * height)
                let status = row.withUnsafeMutableBufferPointer { scratch in
                    bits.withUnsafeMutableBufferPointer { target in
                        imgrec_png_rows_read_interlaced_bits(reader, scratch.baseAddress, target.baseAddress)
                    }
                }
                guard status == 0 else { return .failure(pngRowsError(reader)) }
                plane.append(bits: bits)
                return .success(plane)
            }

            var row = [UInt8](repeating: 0, count: width * 4)
            let readRows = { (count: Int) -> ImageDecodingError? in
                for _ in 0..<count {
                    let status = row.withUnsafeMutableBufferPointer { target in
                        imgrec_png_rows_read(reader, target.baseAddress, 1)
                    }
                    guard status == 0 else { return pngRowsError(reader) }
                    row.withUnsafeBufferPointer { plane.append(rgba: $0) }
                }
                return nil
            }
            if let error = readRows(min(max(firstRows, 0), height)) {
                return .failure(error)
            }
            if !plane.isComplete && wantsRest(plane), let error = readRows(height - plane.rowsRead) {
                return .failure(error)
            }
            return .success(plane)
        }
        return try result.get()
    }

    /// The error for a failure of the row reader; running out of data counts as truncation.
    private func pngRowsError(_ reader: UnsafeMutablePointer<imgrec_png_rows>) -> ImageDecodingError {
        let message = withUnsafeBytes(of: reader.pointee.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if message.contains("ends before") {
            return ImageDecodingError(.truncated, "PNG data ends before the image is complete")
        }
        return ImageDecodingError(.corrupt, "PNG: \(message)")
    }
}
