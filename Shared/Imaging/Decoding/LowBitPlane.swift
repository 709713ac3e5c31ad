/// The least-significant bit of every sample of a decoded PNG or WebP, or of its leftmost columns only:
/// where steganographic writers hide data (see `StealthParameters`). One byte per pixel keeps the red,
/// green, blue and alpha bits; a quarter of the memory RGBA samples would take.
struct LowBitPlane: Sendable, Equatable {
    /// Bit masks of the samples within a pixel's byte.
    enum Sample: UInt8, Sendable {
        case red = 0b1000
        case green = 0b0100
        case blue = 0b0010
        case alpha = 0b0001
    }

    /// Columns kept, from the left edge: the image's width, or fewer when the reader was told that no
    /// later column holds a wanted bit.
    private(set) var width: Int
    /// Height in pixels.
    let height: Int
    /// Whether the file stores alpha (a PNG `tRNS` chunk counts); without it every alpha bit is 1.
    let hasAlpha: Bool
    /// One byte per pixel of the rows read so far, rows top to bottom, built from `Sample` masks.
    private(set) var bits: [UInt8] = []

    /// Creates a plane with no rows read yet.
    init(width: Int, height: Int, hasAlpha: Bool) {
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
    }

    /// How many rows, from the top, have been read.
    var rowsRead: Int { width > 0 ? bits.count / width : 0 }

    /// Whether every row has been read.
    var isComplete: Bool { rowsRead == height }

    /// Appends pixels of 8-bit RGBA samples: whole rows of `width * 4` bytes, from left to right.
    mutating func append(rgba samples: UnsafeBufferPointer<UInt8>) {
        let pixels = samples.count / 4
        let start = bits.count
        bits.append(contentsOf: repeatElement(0, count: pixels))
        bits.withUnsafeMutableBufferPointer { target in
            for pixel in 0..<pixels {
                let offset = pixel * 4
                let red = (samples[offset] & 1) << 3
                let green = (samples[offset + 1] & 1) << 2
                let blue = (samples[offset + 2] & 1) << 1
                target[start + pixel] = red | green | blue | (samples[offset + 3] & 1)
            }
        }
    }

    /// Appends whole rows already reduced to one byte a pixel of `Sample` masks.
    mutating func append(bits rows: [UInt8]) {
        bits.append(contentsOf: rows)
    }

    /// Drops every column from `count` on, from the rows read so far and from those appended later.
    mutating func keepColumns(_ count: Int) {
        precondition(count > 0, "a plane keeps at least one column")
        guard count < width else { return }
        let rows = rowsRead
        var kept: [UInt8] = []
        kept.reserveCapacity(rows * count)
        for row in 0..<rows {
            kept.append(contentsOf: bits[row * width..<row * width + count])
        }
        bits = kept
        width = count
    }

    /// Whether the low bit of `sample` is set at column `x`, row `y`; the row must have been read.
    func bit(_ sample: Sample, x: Int, y: Int) -> Bool {
        bits[y * width + x] & sample.rawValue != 0
    }
}

extension ImageDecoder {
    /// The low bits of a PNG's or WebP's samples as stored, without compositing alpha or turning the
    /// image upright. The first `firstRows` rows are decoded first; the rest only when `wantsRest`
    /// returns true for the plane so far, so a caller that needs the top of the image to decide costs
    /// little on images it rejects. Every column is kept.
    /// - Throws: `ImageDecodingError` for a JPEG (lossy compression leaves no meaningful low bits), an
    ///   animated WebP, or a file that cannot be decoded or exceeds `maxPixels`.
    func lowBitPlane(
        _ bytes: [UInt8], firstRows: Int, wantsRest: (LowBitPlane) -> Bool
    ) throws(ImageDecodingError) -> LowBitPlane {
        try lowBitPlane(bytes, firstRows: firstRows, leadingPixels: .max) { top in wantsRest(top) ? top.width : 0 }
    }

    /// The low bits of a PNG's or WebP's leftmost columns, for data stored column by column: those
    /// holding the first `leadingPixels` pixels in column order (down column 0, then down column 1, ...),
    /// or fewer once `columnsWanted` has said how many. The first `firstRows` rows are decoded first;
    /// unless that completes the plane, `columnsWanted` is given it and returns how many columns to keep
    /// for the rest of the rows: 0 stops decoding there.
    ///
    /// A PNG is read row by row and only the kept columns are stored, so it is refused only past
    /// `maxLowBitPixels`, or when the columns kept exceed `maxPixels`. Interlaced PNGs are decoded whole
    /// before `columnsWanted` could be asked. A WebP's rest is decoded cropped to the columns wanted, but
    /// it must fit within `maxPixels`, as libwebp holds all of a lossless image's pixels while decoding.
    /// - Throws: `ImageDecodingError` for a JPEG (lossy compression leaves no meaningful low bits), an
    ///   animated WebP, or a file that cannot be decoded or exceeds the limits.
    func lowBitPlane(
        _ bytes: [UInt8], firstRows: Int, leadingPixels: Int, columnsWanted: (LowBitPlane) -> Int
    ) throws(ImageDecodingError) -> LowBitPlane {
        switch Self.format(of: bytes) {
        case .png:
            return try pngLowBitPlane(
                bytes, firstRows: firstRows, leadingPixels: leadingPixels, columnsWanted: columnsWanted)
        case .webp:
            return try webpLowBitPlane(bytes, firstRows: firstRows, columnsWanted: columnsWanted)
        case .jpeg: throw ImageDecodingError(.unsupportedFormat, "JPEG pixels keep no meaningful low bits")
        case nil: throw ImageDecodingError(.unsupportedFormat, "not a PNG or WebP image")
        }
    }
}
