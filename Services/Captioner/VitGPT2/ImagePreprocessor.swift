import Foundation

/// `ViTImageProcessor` as configured by a model folder's `preprocessor_config.json`: Pillow bilinear resize to
/// the model's square input, rescale, and normalisation with per-channel mean and standard deviation.
public struct ImagePreprocessor: Sendable, Equatable {
    /// Output height in pixels.
    public var height: Int
    /// Output width in pixels.
    public var width: Int
    /// Whether the image is resized at all.
    public var resizes: Bool
    /// Whether the 8-bit values are multiplied by `rescaleFactor`.
    public var rescales: Bool
    /// The rescale factor, 1/255 for ViT.
    public var rescaleFactor: Double
    /// Whether `(value - mean) / std` is applied.
    public var normalizes: Bool
    /// Per-channel means (R, G, B).
    public var mean: [Double]
    /// Per-channel standard deviations (R, G, B).
    public var std: [Double]

    /// Reads `preprocessor_config.json` from `directory`.
    public init(directory: URL) throws {
        let config = try JSONObject(contentsOf: directory.appendingPathComponent("preprocessor_config.json"))
        if config.has("size"), case .object = config.members["size"] {
            let size = try config.object("size")
            height = try size.int("height")
            width = try size.int("width")
        } else {
            height = try config.int("size", default: 224)
            width = height
        }
        resizes = try config.bool("do_resize", default: true)
        rescales = try config.bool("do_rescale", default: true)
        rescaleFactor = try config.double("rescale_factor", default: 1.0 / 255.0)
        normalizes = try config.bool("do_normalize", default: true)
        mean = try config.doubles("image_mean", default: [0.5, 0.5, 0.5])
        std = try config.doubles("image_std", default: [0.5, 0.5, 0.5])
        if mean.count == 1 { mean = Array(repeating: mean[0], count: 3) }
        if std.count == 1 { std = Array(repeating: std[0], count: 3) }

        let resample = try config.int("resample", default: 2)
        guard resample == 2 else {
            throw VitGPT2Error(.unsupported, "\(config.file): resample \(resample) is not bilinear (2)")
        }
        guard mean.count == 3, std.count == 3, std.allSatisfy({ $0 != 0 }), height > 0, width > 0 else {
            throw VitGPT2Error(.malformedFile, "\(config.file): size, image_mean or image_std is invalid")
        }
        if try config.bool("do_center_crop", default: false) {
            throw VitGPT2Error(.unsupported, "\(config.file): do_center_crop is not supported")
        }
    }

    /// The model input for interleaved RGB8 pixels: `[3, height, width]` floats, channel-major.
    ///
    /// - Throws: `VitGPT2Error.invalidInput` when `rgb` does not hold `width * height * 3` bytes, or when the
    ///   image is not resized and its size differs from the model's.
    public func pixelValues(rgb: [UInt8], width imageWidth: Int, height imageHeight: Int) throws -> [Float] {
        guard imageWidth > 0, imageHeight > 0, rgb.count == imageWidth * imageHeight * 3 else {
            throw VitGPT2Error(
                .invalidInput,
                "image of \(imageWidth)x\(imageHeight) needs \(imageWidth * imageHeight * 3) "
                    + "RGB bytes, got \(rgb.count)")
        }
        var pixels = rgb
        if resizes {
            pixels = PillowBilinearResize.resize(
                rgb, width: imageWidth, height: imageHeight,
                newWidth: width, newHeight: height)
        } else if imageWidth != width || imageHeight != height {
            throw VitGPT2Error(
                .invalidInput,
                "image is \(imageWidth)x\(imageHeight), the model needs \(width)x\(height)")
        }

        let plane = width * height
        var values = [Float](repeating: 0, count: 3 * plane)
        for channel in 0..<3 {
            let scale = rescales ? rescaleFactor : 1
            let shift = normalizes ? mean[channel] : 0
            let divisor = normalizes ? std[channel] : 1
            for index in 0..<plane {
                let value = Double(pixels[index * 3 + channel]) * scale
                values[channel * plane + index] = Float((value - shift) / divisor)
            }
        }
        return values
    }
}
