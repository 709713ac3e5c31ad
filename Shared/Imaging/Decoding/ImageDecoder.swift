/// Decodes JPEG, PNG and WebP bytes into upright `RGBImage`s through libjpeg-turbo, libpng and libwebp.
///
/// The pixel limit is checked against the dimensions in the file header before any pixel buffer is
/// allocated, so a small file that claims a huge canvas (a decompression bomb) costs nothing.
/// Translucent pixels (PNG, WebP) are composited onto white.
public struct ImageDecoder: Sendable {
    /// The encodings the decoder reads, recognised by their signature bytes.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// JPEG/JFIF/EXIF (`FF D8 FF`).
        case jpeg
        /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
        case png
        /// WebP (`RIFF....WEBP`), lossy, lossless or extended.
        case webp

        /// The media type, such as `image/jpeg`.
        public var mediaType: String { "image/\(rawValue)" }
    }

    /// The limit used when none is given: 50 million pixels, about 150 MB of RGB samples.
    public static let defaultMaxPixels = 50_000_000

    /// The largest `width * height` the decoder accepts.
    public let maxPixels: Int

    /// The most pixels, `width * height`, of a PNG that `MetadataReader.readStealthParameters` reads
    /// for hidden parameters: 16 times `maxPixels`, 800 million by default. That reader keeps only the
    /// columns a stream takes, so its memory does not grow with this bound; its time does, as libpng
    /// decodes every row whole: about 1 s per 100 million pixels for a flat image, 2.5 s for noise, on
    /// one core of a 2-core development machine.
    public var maxLowBitPixels: Int {
        let (pixels, overflow) = maxPixels.multipliedReportingOverflow(by: 16)
        return overflow ? Int.max : pixels
    }

    /// Creates a decoder that refuses images with more than `maxPixels` pixels.
    public init(maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        precondition(maxPixels > 0, "maxPixels must be positive")
        self.maxPixels = maxPixels
    }

    /// The format announced by the leading bytes, or nil when it is none of the supported ones.
    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            return .jpeg
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return .png
        }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        return nil
    }

    /// Decodes `bytes` and turns the result upright for the EXIF `Orientation` value (1...8; others
    /// are ignored, see `RGBImage.oriented(exifOrientation:)`).
    /// - Throws: `ImageDecodingError` for empty, unsupported, truncated, corrupt or too large input.
    public func decode(_ bytes: [UInt8], exifOrientation: Int = 1) throws(ImageDecodingError) -> RGBImage {
        guard !bytes.isEmpty else {
            throw ImageDecodingError(.empty, "the image is empty (0 bytes)")
        }
        guard let format = Self.format(of: bytes) else {
            throw ImageDecodingError(.unsupportedFormat, "not a JPEG, PNG or WebP image")
        }

        let image: RGBImage
        switch format {
        case .jpeg: image = try decodeJPEG(bytes)
        case .png: image = try decodePNG(bytes)
        case .webp: image = try decodeWebP(bytes)
        }
        return image.oriented(exifOrientation: exifOrientation)
    }

    /// The error for header dimensions that are empty or exceed `limit` pixels (`maxPixels` unless given);
    /// nil when they fit.
    func dimensionError(_ format: Format, width: Int, height: Int, limit: Int? = nil) -> ImageDecodingError? {
        let limit = limit ?? maxPixels
        guard width > 0, height > 0 else {
            return ImageDecodingError(.corrupt, "\(format.rawValue) header gives an empty size \(width)x\(height)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > limit {
            return ImageDecodingError(.tooLarge, "\(width)x\(height) image exceeds the limit of \(limit) pixels")
        }
        return nil
    }
}
