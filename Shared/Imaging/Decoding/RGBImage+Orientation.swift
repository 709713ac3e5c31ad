extension RGBImage {
    /// Returns the image as it should be displayed for an EXIF `Orientation` value.
    ///
    /// The EXIF values describe where the stored rows and columns belong: 1 is upright, 2 mirrored
    /// left-right, 3 turned half way, 4 mirrored top-bottom, 5 transposed, 6 needs a quarter turn
    /// clockwise, 7 transversed, 8 needs a quarter turn counter-clockwise. Values 5 to 8 swap width and
    /// height. Any value outside 1...8 (missing or damaged metadata) leaves the image as stored.
    public func oriented(exifOrientation orientation: Int) -> RGBImage {
        guard (2...8).contains(orientation) else {
            return self
        }
        let swapsAxes = orientation >= 5
        let outputWidth = swapsAxes ? height : width
        let outputHeight = swapsAxes ? width : height
        var output = [UInt8](repeating: 0, count: pixels.count)

        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for outputY in 0..<outputHeight {
                    for outputX in 0..<outputWidth {
                        let (sourceX, sourceY) = sourceCoordinate(
                            orientation: orientation, outputX: outputX, outputY: outputY)
                        let from = (sourceY * width + sourceX) * 3
                        let to = (outputY * outputWidth + outputX) * 3
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outputWidth, height: outputHeight, pixels: output)
    }

    /// The stored pixel that lands at (`outputX`, `outputY`) of the displayed image.
    private func sourceCoordinate(orientation: Int, outputX: Int, outputY: Int) -> (Int, Int) {
        let lastX = width - 1
        let lastY = height - 1
        switch orientation {
        case 2: return (lastX - outputX, outputY)
        case 3: return (lastX - outputX, lastY - outputY)
        case 4: return (outputX, lastY - outputY)
        case 5: return (outputY, outputX)
        case 6: return (outputY, lastY - outputX)
        case 7: return (lastX - outputY, lastY - outputX)
        case 8: return (lastX - outputY, outputX)
        default: return (outputX, outputY)
        }
    }
}
