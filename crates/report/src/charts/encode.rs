//! The PNG file of a chart: its RGB pixels as an 8-bit palette image.
//!
//! A chart is flat colours plus the anti-aliased edges of text and marks,
//! so a palette of 256 colours holds it almost exactly, at about a third of
//! the bytes of the RGB file plotters would write. When a chart has more
//! than 256 colours (only anti-aliasing between two coloured marks does
//! that), the 256 most frequent are kept and every other pixel takes the
//! nearest of them: an edge pixel a shade off, nothing a reader can see.
//! The result is a pure function of the pixels, so the same chart gives the
//! same bytes.

use std::collections::HashMap;
use std::io::Write;

/// The palette, and each pixel's index into it.
struct Indexed {
    palette: Vec<[u8; 3]>,
    indices: Vec<u8>,
}

/// Encodes `rgb` (`width * height` pixels, 3 bytes each) as a PNG file.
pub fn png_bytes(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let indexed = index(rgb);
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(indexed.palette.concat());
    encoder.set_compression(png::Compression::Best);
    // Palette rows compress best unfiltered.
    encoder.set_filter(png::FilterType::NoFilter);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&indexed.indices)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    let _ = bytes.flush();
    Ok(bytes)
}

/// The pixels of `rgb` as palette indices.
fn index(rgb: &[u8]) -> Indexed {
    let pixels: Vec<[u8; 3]> = rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    let mut counts: HashMap<[u8; 3], u64> = HashMap::new();
    for pixel in &pixels {
        *counts.entry(*pixel).or_default() += 1;
    }
    // Most frequent first; equal counts by colour, so the order is fixed.
    let mut colours: Vec<([u8; 3], u64)> = counts.into_iter().collect();
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<[u8; 3]> = colours.iter().take(256).map(|(c, _)| *c).collect();
    let mut slot: HashMap<[u8; 3], u8> = (palette.iter().enumerate())
        .map(|(i, c)| (*c, i as u8))
        .collect();
    let indices = pixels
        .iter()
        .map(|pixel| {
            *slot
                .entry(*pixel)
                .or_insert_with(|| nearest(&palette, *pixel))
        })
        .collect();
    Indexed { palette, indices }
}

/// The index of the palette colour nearest to `pixel` (squared RGB
/// distance; the first of equals).
fn nearest(palette: &[[u8; 3]], pixel: [u8; 3]) -> u8 {
    let distance = |c: &[u8; 3]| -> u32 {
        (0..3)
            .map(|k| (i32::from(c[k]) - i32::from(pixel[k])).pow(2) as u32)
            .sum()
    };
    (palette.iter().enumerate())
        .min_by_key(|(i, c)| (distance(c), *i))
        .map_or(0, |(i, _)| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(bytes);
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG header");
        let colour = reader.info().color_type;
        let mut buffer = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut buffer).expect("pixels");
        buffer.truncate(frame.buffer_size());
        (colour, buffer)
    }

    #[test]
    fn few_colours_come_back_exactly_from_a_palette_file() {
        let rgb: Vec<u8> = (0..64u8)
            .flat_map(|i| [i % 4 * 60, 255 - i % 4 * 60, 7])
            .collect();
        let bytes = png_bytes(&rgb, 8, 8).expect("encoded");
        let (colour, back) = decode(&bytes);
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!(back, rgb);
        assert_eq!(
            bytes,
            png_bytes(&rgb, 8, 8).expect("again"),
            "deterministic"
        );
    }

    #[test]
    fn beyond_256_colours_the_rare_ones_take_the_nearest_frequent_one() {
        // 256 colours twice each, then one rare colour, nearest to (11, 0, 0).
        let mut rgb: Vec<u8> = (0..=255u8).flat_map(|i| [i, 0, 0, i, 0, 0]).collect();
        rgb.extend([11, 1, 0]);
        rgb.extend([0; 3 * 511]);
        let bytes = png_bytes(&rgb, 32, 32).expect("encoded");
        let (_, back) = decode(&bytes);
        assert_eq!(back.len(), rgb.len());
        assert_eq!(&back[3 * 512..3 * 513], [11, 0, 0]);
        assert_eq!(
            &back[..3 * 512],
            &rgb[..3 * 512],
            "the frequent ones are exact"
        );
    }
}
