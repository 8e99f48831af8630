//! Reads each argument (or each line of stdin) as a title and prints what the grammar says.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lines: Vec<String> = if args.is_empty() {
        std::io::stdin().lines().map_while(Result::ok).collect()
    } else {
        args
    };
    for line in lines {
        println!("{line}\t{:?}", nianbao_wording::parse_title(&line));
    }
}
