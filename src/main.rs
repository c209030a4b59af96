fn main() {
    println!("kenkomap: under construction");
}
