/// Pillow's bilinear resize of 8-bit RGB pixels (`Image.resize(size, Image.BILINEAR)`), reproduced bit for bit.
///
/// Pillow resamples each axis separately, horizontal pass first. When shrinking, the triangle filter's support
/// grows by the scale factor, which is its antialiasing. Filter weights are normalised per output pixel, turned
/// into 22-bit fixed-point integers, and every pass rounds and clamps its result to 8 bits.
enum PillowBilinearResize {
    /// Fractional bits of the fixed-point weights, as Pillow's `PRECISION_BITS` (32 - 8 - 2).
    private static let precisionBits = 22

    /// The weights for one axis: output pixel `i` reads `count[i]` input pixels from `first[i]` on, with the
    /// fixed-point weights `weights[i * stride ..< i * stride + count[i]]`.
    private struct AxisWeights {
        var first: [Int]
        var count: [Int]
        var weights: [Int]
        var stride: Int
    }

    /// Resizes interleaved RGB8 `pixels` of `width` x `height` to `newWidth` x `newHeight`.
    static func resize(_ pixels: [UInt8], width: Int, height: Int, newWidth: Int, newHeight: Int) -> [UInt8] {
        var image = pixels
        var currentWidth = width
        if newWidth != width {
            image = horizontal(
                image, width: width, height: height, axis: axisWeights(input: width, output: newWidth),
                newWidth: newWidth)
            currentWidth = newWidth
        }
        if newHeight != height {
            image = vertical(
                image, width: currentWidth, axis: axisWeights(input: height, output: newHeight),
                newHeight: newHeight)
        }
        return image
    }

    /// Pillow's triangle filter with support 1.
    private static func triangle(_ x: Double) -> Double {
        let magnitude = abs(x)
        return magnitude < 1 ? 1 - magnitude : 0
    }

    private static func axisWeights(input: Int, output: Int) -> AxisWeights {
        let scale = Double(input) / Double(output)
        let filterScale = max(scale, 1)
        let support = filterScale
        let stride = Int(support.rounded(.up)) * 2 + 1
        var axis = AxisWeights(
            first: [Int](repeating: 0, count: output), count: [Int](repeating: 0, count: output),
            weights: [Int](repeating: 0, count: output * stride), stride: stride)
        var kernel = [Double](repeating: 0, count: stride)
        let one = Double(1 << precisionBits)
        for index in 0..<output {
            let center = (Double(index) + 0.5) * scale
            // Truncation toward zero, as C's cast from double to int.
            let low = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), input) - low
            var total = 0.0
            for k in 0..<count {
                kernel[k] = triangle((Double(k + low) - center + 0.5) / filterScale)
                total += kernel[k]
            }
            for k in 0..<count {
                let weight = total != 0 ? kernel[k] / total : kernel[k]
                axis.weights[index * stride + k] = weight < 0 ? Int(-0.5 + weight * one) : Int(0.5 + weight * one)
            }
            axis.first[index] = low
            axis.count[index] = count
        }
        return axis
    }

    /// Rounds a fixed-point sum to 8 bits and clamps it, as Pillow's `clip8`.
    @inline(__always)
    private static func clip8(_ sum: Int) -> UInt8 {
        let value = sum >> precisionBits
        return UInt8(clamping: value)
    }

    private static func horizontal(
        _ pixels: [UInt8], width: Int, height: Int, axis: AxisWeights,
        newWidth: Int
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: newWidth * height * 3)
        let half = 1 << (precisionBits - 1)
        for y in 0..<height {
            let rowIn = y * width * 3
            let rowOut = y * newWidth * 3
            for x in 0..<newWidth {
                var red = half, green = half, blue = half
                let base = x * axis.stride
                for k in 0..<axis.count[x] {
                    let source = rowIn + (axis.first[x] + k) * 3
                    let weight = axis.weights[base + k]
                    red += Int(pixels[source]) * weight
                    green += Int(pixels[source + 1]) * weight
                    blue += Int(pixels[source + 2]) * weight
                }
                output[rowOut + x * 3] = clip8(red)
                output[rowOut + x * 3 + 1] = clip8(green)
                output[rowOut + x * 3 + 2] = clip8(blue)
            }
        }
        return output
    }

    private static func vertical(_ pixels: [UInt8], width: Int, axis: AxisWeights, newHeight: Int) -> [UInt8] {
        let rowSize = width * 3
        var output = [UInt8](repeating: 0, count: rowSize * newHeight)
        let half = 1 << (precisionBits - 1)
        var sums = [Int](repeating: 0, count: rowSize)
        for y in 0..<newHeight {
            for i in 0..<rowSize { sums[i] = half }
            let base = y * axis.stride
            for k in 0..<axis.count[y] {
                let source = (axis.first[y] + k) * rowSize
                let weight = axis.weights[base + k]
                for i in 0..<rowSize { sums[i] += Int(pixels[source + i]) * weight }
            }
            for i in 0..<rowSize { output[y * rowSize + i] = clip8(sums[i]) }
        }
        return output
    }
}
