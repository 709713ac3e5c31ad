import CPNG

extension ImageDecoder {
    /// The low-bit plane of a PNG, read row by row through libpng so that decoding can stop after the
    /// first rows, keeping only the columns that hold the first `leadingPixels` pixels in column order.
    func pngLowBitPlane(
        _ bytes: [UInt8], firstRows: Int, leadingPixels: Int, columnsWanted: (LowBitPlane) -> Int
    ) throws(ImageDecodingError) -> LowBitPlane {
        guard let reader = imgrec_png_rows_create() else {
            throw ImageDecodingError(.corrupt, "could not allocate a PNG decoder")
        }
        defer { imgrec_png_rows_destroy(reader) }

        let result: Result<LowBitPlane, ImageDecodingError> = bytes.withUnsafeBufferPointer { buffer in
            // libpng reads from the buffer until the reader is destroyed, all within this closure. No side
            // may be longer than an image of `maxPixels` could have: one row of samples is held whole.
            let maxSide = UInt32(clamping: min(maxPixels, 0x7fff_ffff))
            guard imgrec_png_rows_begin(reader, buffer.baseAddress, buffer.count, maxSide) == 0 else {
                return .failure(pngRowsError(reader))
            }
            let width = Int(reader.pointee.width)
            let height = Int(reader.pointee.height)
            if let error = dimensionError(.png, width: width, height: height, limit: maxLowBitPixels) {
                return .failure(error)
            }
            let leading = max(leadingPixels, 1)
            let columns = min(width, leading / height + (leading % height == 0 ? 0 : 1))
            // The first read keeps `columns` columns of every row it decodes: the whole image when it is
            // interlaced or no taller than `firstRows`. Otherwise `columnsWanted` decides the rest.
            let firstReadIsWhole = reader.pointee.interlaced != 0 || height <= firstRows
            if firstReadIsWhole, let error = keptColumnsError(columns, width: width, height: height) {
                return .failure(error)
            }
            var plane = LowBitPlane(width: columns, height: height, hasAlpha: reader.pointee.has_alpha != 0)

            if reader.pointee.interlaced != 0 {
                // TODO: an interlaced image is decoded whole before `columnsWanted` could be asked: no row is
                // final before the last Adam7 pass, and the first passes hold too few pixels of the top rows.
                // Only the low bits of the kept columns are stored, one byte a pixel, and one row of samples.
                var row = [UInt8](repeating: 0, count: width * 4)
                var bits = [UInt8](repeating: 0, count: columns * height)
                let status = row.withUnsafeMutableBufferPointer { scratch in
                    bits.withUnsafeMutableBufferPointer { target in
                        imgrec_png_rows_read_interlaced_bits(
                            reader, scratch.baseAddress, target.baseAddress, UInt32(columns))
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
                    row.withUnsafeBufferPointer { samples in
                        plane.append(rgba: UnsafeBufferPointer(rebasing: samples.prefix(plane.width * 4)))
                    }
                }
                return nil
            }
            if let error = readRows(min(max(firstRows, 0), height)) {
                return .failure(error)
            }
            guard !plane.isComplete else { return .success(plane) }
            let wanted = columnsWanted(plane)
            guard wanted > 0 else { return .success(plane) }
            plane.keepColumns(wanted)
            if let error = keptColumnsError(plane.width, width: width, height: height) {
                return .failure(error)
            }
            if let error = readRows(height - plane.rowsRead) {
                return .failure(error)
            }
            return .success(plane)
        }
        return try result.get()
    }

    /// The error for keeping `columns` columns of every row of a `width` x `height` image when that is
    /// over `maxPixels`; nil when it fits.
    private func keptColumnsError(_ columns: Int, width: Int, height: Int) -> ImageDecodingError? {
        guard columns * height > maxPixels else { return nil }
        let image = "\(width)x\(height) image"
        let kept = columns == width ? "\(image) exceeds" : "\(columns) columns of a \(image) exceed"
        return ImageDecodingError(.tooLarge, "\(kept) the limit of \(maxPixels) pixels")
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
